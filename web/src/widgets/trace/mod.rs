//! "Your program": a real execution trace (`runtime/trace`, `go test
//! -trace`) drawn on the scheduler's lanes and played in its own time.
//! Open a file (picker or drop) or one of the shipped samples;
//! `runtime_model::trace::lanes` reads it, in slices between which the
//! page goes on (a progress bar shows how far), and the shared player
//! steps through every event that changes the picture, plays in trace
//! time at a speed, scrubs, and jumps to the next GC cycle, the next
//! stop-the-world and the next event of a chosen goroutine. The narration
//! says each event in plain words, with its source line from the stack.
//!
//! A file the learner opens is read in this browser and never uploaded;
//! the URL holds only the sample and the moment (see [`state`]).

pub mod draw;
pub mod state;

use std::cell::Cell;
use std::rc::Rc;

use runtime_model::trace::lanes::{human_ns, Broken, Builder, Lanes, StepKind, NONE};
use runtime_model::trace::TraceError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use self::draw::{banner, groups, heap_chart, p_lanes, thinned, Thinned};
use self::state::{Action, Params, SAMPLES};
use crate::kit::browser::{now_ms, window};
use crate::kit::motion::{use_flip, use_motion, Timing, GAP_SHARE, HIGHLIGHT_CLASS};
use crate::kit::query::{use_params, view_notices, OneOf};
use crate::kit::stepper::{use_stepper, Course, Pace, NORMAL_SPEED, SPEEDS, TICK_MS};

/// The largest file it reads.
const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;
/// How long one slice of reading may take before the page gets a turn.
const SLICE_MS: f64 = 25.0;
/// Trace time per second of playing at 1x: one millisecond.
const TRACE_NS_PER_SECOND_AT_1X: f64 = 1e6;
/// While playing, a quiet stretch of the trace is cut to this many ticks
/// (two seconds) of waiting.
const MAX_QUIET_TICKS: i64 = 40;
/// How the speed menu reads: trace time per second.
pub const SPEED_LABELS: [&str; 9] = [
    "0.25 ms/s",
    "0.5 ms/s",
    "1 ms/s",
    "2 ms/s",
    "4 ms/s",
    "8 ms/s",
    "16 ms/s",
    "32 ms/s",
    "64 ms/s",
];
/// The goroutines the "follow" menu lists.
const FOLLOW_LISTED: usize = 400;

/// Where the open trace came from.
#[derive(Clone, PartialEq, Debug)]
enum Source {
    Sample(&'static str),
    File(String),
}

/// A trace read into lanes.
#[derive(Clone)]
struct Loaded {
    source: Source,
    lanes: Rc<Lanes>,
    heap: Rc<Thinned>,
    /// The "Follow" menu's goroutines (the first [`FOLLOW_LISTED`]): ID
    /// and name, written once per trace rather than at every step.
    follow_menu: Rc<Vec<(String, String)>>,
    /// Why the trace stops early, when it is broken after some events.
    broken: Option<String>,
    bytes: usize,
}

impl PartialEq for Loaded {
    fn eq(&self, other: &Loaded) -> bool {
        self.source == other.source && Rc::ptr_eq(&self.lanes, &other.lanes)
    }
}

/// What the widget is doing.
#[derive(Clone, PartialEq, Debug)]
enum Status {
    Idle,
    Loading { what: String, progress: f64 },
    Failed(String),
}

/// Gives the page a turn: resolves after a zero timeout.
async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Reads a trace in slices of [`SLICE_MS`], reporting progress; `None`
/// when a newer load took over.
async fn read_in_slices(
    data: Vec<u8>,
    token: Rc<Cell<u32>>,
    mine: u32,
    progress: Callback<f64>,
) -> Option<Result<Lanes, Broken>> {
    let mut b = match Builder::new(&data) {
        Ok(b) => b,
        Err(error) => {
            return Some(Err(Broken {
                partial: None,
                error,
            }))
        }
    };
    loop {
        let start = now_ms();
        loop {
            match b.advance(1024) {
                Ok(true) => return Some(Ok(b.finish())),
                Ok(false) => {}
                Err(error) => {
                    return Some(Err(Broken {
                        partial: b.finish_partial().map(Box::new),
                        error,
                    }))
                }
            }
            if now_ms() - start > SLICE_MS {
                break;
            }
        }
        progress.emit(b.progress());
        yield_to_page().await;
        if token.get() != mine {
            return None;
        }
    }
}

/// The message for a trace that could not be read: what was found, and
/// what is read.
fn failure(name: &str, e: &TraceError, bytes: usize) -> String {
    if bytes == 0 {
        return format!("{name} is empty. Open a Go execution trace: the file runtime/trace.Start or go test -trace writes (Go 1.22 or newer).");
    }
    format!("{name} could not be read: {e}.")
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let w = window().ok_or("no window")?;
    let resp = JsFuture::from(w.fetch_with_str(url))
        .await
        .map_err(|e| js_message(&e, "the network request failed"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_owned())?;
    if !resp.ok() {
        return Err(format!("the server answered {} for {url}", resp.status()));
    }
    let buf = resp
        .array_buffer()
        .map_err(|e| js_message(&e, "the body could not be read"))?;
    let buf = JsFuture::from(buf)
        .await
        .map_err(|e| js_message(&e, "the body could not be read"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

fn js_message(e: &JsValue, fallback: &str) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| fallback.to_owned())
}

/// Starts reading `bytes` (from `source`) into `loaded`, unless a newer
/// load begins first.
fn start_reading(
    bytes: Vec<u8>,
    source: Source,
    token: Rc<Cell<u32>>,
    status: UseStateHandle<Status>,
    loaded: UseStateHandle<Option<Loaded>>,
    on_loaded: Callback<()>,
) {
    let mine = token.get().wrapping_add(1);
    token.set(mine);
    let name = match &source {
        Source::Sample(n) => format!("The sample {n}"),
        Source::File(n) => n.clone(),
    };
    let what = match &source {
        Source::Sample(n) => format!("Reading the sample {n}"),
        Source::File(n) => format!("Reading {n}"),
    };
    status.set(Status::Loading {
        what: what.clone(),
        progress: 0.0,
    });
    let progress = {
        let status = status.clone();
        Callback::from(move |p: f64| {
            status.set(Status::Loading {
                what: what.clone(),
                progress: p,
            });
        })
    };
    yew::platform::spawn_local(async move {
        let len = bytes.len();
        let Some(result) = read_in_slices(bytes, token.clone(), mine, progress).await else {
            return;
        };
        if token.get() != mine {
            return;
        }
        let (lanes, broken) = match result {
            Ok(l) => (l, None),
            Err(Broken {
                partial: Some(l),
                error,
            }) => {
                let why = format!(
                    "{name} breaks off after {} events: {error}. What comes before the break is shown.",
                    l.events
                );
                (*l, Some(why))
            }
            Err(Broken {
                partial: None,
                error,
            }) => {
                // Nothing readable: the trace shown before stays.
                status.set(Status::Failed(failure(&name, &error, len)));
                return;
            }
        };
        let heap = Rc::new(thinned(&lanes));
        let follow_menu = Rc::new(
            (0..lanes.gs.len().min(FOLLOW_LISTED) as u32)
                .map(|g| (lanes.gs[g as usize].id.to_string(), lanes.g_name(g)))
                .collect(),
        );
        loaded.set(Some(Loaded {
            source,
            lanes: Rc::new(lanes),
            heap,
            follow_menu,
            broken,
            bytes: len,
        }));
        status.set(Status::Idle);
        on_loaded.emit(());
    });
}

#[function_component(TraceWidget)]
pub fn trace_widget() -> Html {
    let url = use_params::<Params>();
    let loaded = use_state_eq(|| None::<Loaded>);
    let status = use_state_eq(|| Status::Idle);
    let token = use_memo((), |_| Rc::new(Cell::new(0_u32)));
    let token: Rc<Cell<u32>> = (*token).clone();
    let file_step = use_state_eq(|| 0_u64);
    let file_follow = use_state_eq(|| None::<u64>);
    let dragging = use_state_eq(|| false);
    let sample = url.params.sample();
    let showing_file = matches!(loaded.as_ref().map(|l| &l.source), Some(Source::File(_)));

    // The URL's sample, whenever it changes (and no file is open).
    {
        let (status, loaded, token) = (status.clone(), loaded.clone(), token.clone());
        let name = sample.name;
        let wanted =
            !showing_file && loaded.as_ref().map(|l| &l.source) != Some(&Source::Sample(name));
        use_effect_with((name, wanted), move |&(name, wanted)| {
            if wanted {
                let url = SAMPLES
                    .iter()
                    .find(|s| s.name == name)
                    .map(|s| s.url())
                    .unwrap_or_default();
                let (status2, token2) = (status.clone(), token.clone());
                let mine = token.get();
                status.set(Status::Loading {
                    what: format!("Fetching the sample {name}"),
                    progress: 0.0,
                });
                yew::platform::spawn_local(async move {
                    match fetch_bytes(&url).await {
                        // A file opened meanwhile wins.
                        Ok(bytes) if token2.get() == mine => start_reading(
                            bytes,
                            Source::Sample(name),
                            token2,
                            status2,
                            loaded,
                            Callback::noop(),
                        ),
                        Ok(_) => {}
                        Err(e) => status2.set(Status::Failed(format!(
                            "The sample {name} could not be fetched: {e}. Try again, or open a trace of your own."
                        ))),
                    }
                });
            }
        });
    }

    let open_file = {
        let (status, loaded, token, file_step, file_follow) = (
            status.clone(),
            loaded.clone(),
            token.clone(),
            file_step.clone(),
            file_follow.clone(),
        );
        Callback::from(move |file: web_sys::File| {
            let name = file.name();
            if file.size() > MAX_FILE_BYTES {
                status.set(Status::Failed(format!(
                    "{name} is {:.0} MB; this page reads traces up to 256 MB. Record a shorter stretch of the program (runtime/trace.Start and Stop around the part you want).",
                    file.size() / 1024.0 / 1024.0
                )));
                return;
            }
            let (status, loaded, token, file_step, file_follow) = (
                status.clone(),
                loaded.clone(),
                token.clone(),
                file_step.clone(),
                file_follow.clone(),
            );
            let promise = file.array_buffer();
            status.set(Status::Loading {
                what: format!("Opening {name}"),
                progress: 0.0,
            });
            yew::platform::spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(buf) => {
                        let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                        let reset = Callback::from(move |_| {
                            file_step.set(0);
                            file_follow.set(None);
                        });
                        start_reading(bytes, Source::File(name), token, status, loaded, reset);
                    }
                    Err(e) => status.set(Status::Failed(format!(
                        "{name} could not be read: {}.",
                        js_message(&e, "the browser refused")
                    ))),
                }
            });
        })
    };
    let onfile = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file.emit(file);
            }
            // The same file may be picked again.
            input.set_value("");
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (dragging, open_file) = (dragging.clone(), open_file.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                open_file.emit(file);
            }
        })
    };
    let pick_sample = |name: &'static str| {
        let (dispatch, loaded, token) = (url.dispatch.clone(), loaded.clone(), token.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = OneOf::new(name) {
                dispatch.emit(Action::Sample(s));
            }
            // Leave the file: the effect above fetches the sample.
            if matches!(loaded.as_ref().map(|l| &l.source), Some(Source::File(_))) {
                token.set(token.get().wrapping_add(1));
                loaded.set(None);
            }
        })
    };

    // The stepper: the URL's moment for a sample, the page's own for a file.
    let last = loaded.as_ref().map_or(0, |l| u64::from(l.lanes.last()));
    let (asked, go_to) = if showing_file {
        let file_step = file_step.clone();
        (*file_step, Callback::from(move |s: u64| file_step.set(s)))
    } else {
        (url.params.step(), url.dispatch.reform(Action::At))
    };
    let run_key = loaded
        .as_ref()
        .map(|l| (format!("{:?}", l.source), l.lanes.steps.len()));
    // Until the trace is read, the URL's moment waits (no notice).
    let stepper = use_stepper(
        "at",
        if loaded.is_some() { asked } else { 0 },
        last,
        run_key,
        go_to,
    );
    let motion = use_motion();
    let root = use_node_ref();
    // A step forward or back travels; a jump (the scrubber, a "next"
    // button, a tick of play that passes several events) only highlights,
    // so scrubbing never waits on measuring the page. While playing, a
    // tick (50 ms) is the most a travel may take.
    let last_shown = use_mut_ref(|| 0_u64);
    let jumped = stepper.step.abs_diff(*last_shown.borrow()) > 1;
    *last_shown.borrow_mut() = stepper.step;
    let timing = match motion.timing(NORMAL_SPEED) {
        _ if jumped => Timing::Highlight,
        Timing::Travel { ms } if stepper.playing => Timing::Travel {
            ms: ms.min(GAP_SHARE * f64::from(TICK_MS)),
        },
        t => t,
    };
    use_flip(root.clone(), stepper.step, timing);
    let clock = use_memo((), |_| Rc::new(Cell::new((u64::MAX, 0_i64))));
    let clock: Rc<Cell<(u64, i64)>> = (*clock).clone();

    let state_name = match (&*status, loaded.is_some()) {
        (Status::Loading { .. }, _) => "loading",
        (Status::Failed(_), false) => "error",
        (_, true) => "ready",
        (_, false) => "empty",
    };
    let follow = if showing_file {
        *file_follow
    } else {
        url.params.follow.map(|w| w.0)
    };
    let notices = url.notices_with(stepper.notice.clone());

    let body = loaded.as_ref().map(|l| {
        let lanes = l.lanes.clone();
        let step = stepper.step as u32;
        stepper.set_course(Course {
            marks: Rc::new(lanes.gc_marks.iter().map(|&m| u64::from(m)).collect()),
            mark_name: "GC cycle".to_owned(),
            pace: Some(pace(lanes.clone(), clock.clone())),
            speed_labels: Some(&SPEED_LABELS),
            ..Course::default()
        });
        let st = lanes.state_at(step);
        let s = lanes.step(step);
        let moved = (s.g != NONE).then_some(s.g);
        let now = s.time();
        let next_stw = lanes.stw_marks.iter().copied().find(|&m| m > step);
        let followed = follow.and_then(|id| lanes.gs.iter().position(|g| g.id as u64 == id)).map(|i| i as u32);
        let next_of = followed.and_then(|g| lanes.next_of(g, step));
        let on = stepper.on.clone();
        let seek = move |to: u32| {
            let on = on.clone();
            Callback::from(move |_: MouseEvent| on.emit(crate::kit::stepper::PlayerMsg::Seek(to as usize)))
        };
        let onfollow = {
            let (dispatch, file_follow, showing_file) = (url.dispatch.clone(), file_follow.clone(), showing_file);
            Callback::from(move |e: Event| {
                if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                    let g = sel.value().parse::<u64>().ok();
                    if showing_file {
                        file_follow.set(g);
                    } else {
                        dispatch.emit(Action::Follow(g));
                    }
                }
            })
        };
        // A goroutine followed past the menu's list is added to it.
        let beyond = followed
            .filter(|&g| g as usize >= FOLLOW_LISTED)
            .map(|g| (lanes.gs[g as usize].id.to_string(), lanes.g_name(g)));
        let followed_id = followed.map(|g| lanes.gs[g as usize].id.to_string());
        let from = match &l.source {
            Source::Sample(n) => {
                let how = SAMPLES.iter().find(|s| s.name == *n).map_or("", |s| s.how);
                format!("The sample {n}: {how}.")
            }
            Source::File(n) => format!("Your file {n}."),
        };
        html! {
            <>
                <p class="trace-from">
                    { from }
                    { format!(" {} events over {} (go 1.{} trace, {:.1} MB); {} of them change the picture and are steps.",
                        lanes.events, human_ns(lanes.duration), lanes.version, l.bytes as f64 / 1048576.0, lanes.steps.len()) }
                </p>
                if let Some(why) = &l.broken { <p class="notice" role="alert">{ why.clone() }</p> }
                { stepper.player("Trace playback") }
                <div class="controls trace-jumps" role="group" aria-label="Jumps">
                    <button type="button" disabled={next_stw.is_none()} onclick={seek(next_stw.unwrap_or(step))}>
                        { match next_stw { Some(m) => format!("Next stop-the-world (step {m}) »"), None => "No later stop-the-world".to_owned() } }
                    </button>
                    <label>
                        { "Follow " }
                        <select class="trace-follow" onchange={onfollow}>
                            <option value="" selected={followed.is_none()}>{ "no goroutine" }</option>
                            { for l.follow_menu.iter().chain(beyond.iter()).map(|(id, name)| html! {
                                <option value={id.clone()} selected={followed_id.as_ref() == Some(id)}>{ name.clone() }</option>
                            }) }
                        </select>
                    </label>
                    if let Some(g) = followed {
                        <button type="button" class="trace-next-of" disabled={next_of.is_none()} onclick={seek(next_of.unwrap_or(step))}>
                            { match next_of { Some(m) => format!("Next event of {} (step {m}) »", lanes.g_label(g)), None => format!("No later event of {}", lanes.g_label(g)) } }
                        </button>
                    }
                </div>
                <p class="trace-time">{ format!("At {} of {} (step {step} of {}).", human_ns(now), human_ns(lanes.duration), lanes.last()) }</p>
                <p class="narration" aria-live="polite">{ lanes.say(step) }</p>
                { banner(&lanes, &st) }
                <div class="sched-diagram" ref={root.clone()}>
                    { p_lanes(&lanes, &st, moved) }
                    { groups(&lanes, &st, moved) }
                </div>
                { heap_chart(&lanes, &l.heap, now) }
                <p class="muted trace-caveat">
                    { "What the trace cannot say: which P's run queue a runnable goroutine waits in (so they are one group here), and what a goroutine does between its events. Ms are numbered in the order the trace first shows them (hover one for its thread ID). CPU samples, user tasks and regions are not drawn; heap figures are the trace's own metrics." }
                </p>
                if s.kind == StepKind::Begin && lanes.steps.len() == 1 {
                    <p class="muted">{ "This trace has no events that change the lanes." }</p>
                }
            </>
        }
    });

    html! {
        <div class={classes!("widget", "trace", (*dragging).then_some("dragging"), motion.off_class(), (jumped || stepper.speed >= 7).then_some(HIGHLIGHT_CLASS))}
            data-state={state_name} onkeydown={stepper.onkeydown.clone()}
            ondragover={ondragover} ondragleave={ondragleave} ondrop={ondrop}>
            { view_notices(&notices) }
            <p class="trace-privacy">{ "A trace you open here is read in this browser and never uploaded. The link holds only which sample is open and the moment." }</p>
            <div class="controls trace-open">
                <label class="trace-pick">
                    { "Open a trace file: " }
                    <input type="file" class="trace-file" accept=".trace,.out,.bin,application/octet-stream" onchange={onfile} />
                </label>
                <span class="trace-drop muted">{ "or drop one on this box" }</span>
                <span role="group" aria-label="Sample traces" class="trace-samples">
                    { "Samples: " }
                    { for SAMPLES.iter().map(|s| {
                        let pressed = !showing_file && s.name == sample.name;
                        html! { <button type="button" onclick={pick_sample(s.name)} aria-pressed={pressed.to_string()}>{ s.button }</button> }
                    }) }
                </span>
            </div>
            <p class="muted trace-how">{ "Record your own with runtime/trace (trace.Start(f) ... trace.Stop()) or go test -trace=trace.out; Go 1.22 and newer write a trace this page reads." }</p>
            { match &*status {
                Status::Loading { what, progress } => html! {
                    <p class="trace-loading" role="status">
                        <label>
                            { format!("{what}: {:.0}% ", progress * 100.0) }
                            <progress class="trace-progress" max="1" value={progress.to_string()} />
                        </label>
                    </p>
                },
                Status::Failed(why) => html! { <p class="notice" role="alert">{ why.clone() }</p> },
                Status::Idle => Html::default(),
            } }
            { body.unwrap_or_default() }
        </div>
    }
}

/// Playing in trace time: each tick moves the trace's clock on by the
/// speed's share, and the step shown is the last one at or before it. A
/// quiet stretch is cut short, so that playing never waits more than
/// [`MAX_QUIET_TICKS`] ticks for the next event.
fn pace(lanes: Rc<Lanes>, clock: Rc<Cell<(u64, i64)>>) -> Pace {
    Pace(Rc::new(move |step: u64, speed: usize| {
        let per_tick =
            (SPEEDS[speed.min(SPEEDS.len() - 1)] * TRACE_NS_PER_SECOND_AT_1X * f64::from(TICK_MS)
                / 1000.0) as i64;
        let (at, t) = clock.get();
        let here = lanes.steps.get(step as u32).map_or(0, |s| s.time());
        let mut t = if at == step { t } else { here };
        t += per_tick.max(1);
        if let Some(next) = lanes.steps.get(step as u32 + 1).map(|s| s.time()) {
            t = t.max(next - per_tick * MAX_QUIET_TICKS);
        }
        let to = u64::from(lanes.step_before_time(t)).max(step);
        clock.set((to, t));
        to
    }))
}
