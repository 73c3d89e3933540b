//! The stepper every step widget shares: the [`Player`] (reset, back,
//! play/pause, forward, a scrubber and a speed; keyboard shortcuts that act
//! only while the widget has focus; a clock that advances while playing) and
//! [`use_stepper`], the one hook that owns the step a widget shows: it
//! checks the URL's step against the run, plays, keeps the speed, holds
//! for an open prediction, and stops when the run changes.
//!
//! A widget may also give the stepper a [`Course`] on each render
//! ([`Stepper::set_course`]): the steps that Step, Back and playing stop
//! at (to hide routine steps), and the "interesting" steps that the
//! Next/Previous-event buttons and the n/N keys jump to.
//!
//! The stepper owns no simulation: a widget keeps its step in its `Params`
//! (so in the URL), reaches the state at that step through the model's
//! `Timeline`, and draws it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::motion::{use_motion, Motion};
use super::query::{during_playback, use_query};

/// Playback speeds, as multiples of two steps a second.
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// How each speed reads. Written out, so that the bundle carries no float
/// formatting for it (about 10 KB of wasm).
pub const SPEED_LABELS: [&str; 9] = ["0.25x", "0.5x", "1x", "2x", "4x", "8x", "16x", "32x", "64x"];
/// The index of 1x in [`SPEEDS`].
pub const NORMAL_SPEED: usize = 2;
const STEPS_PER_SECOND_AT_1X: f64 = 2.0;
/// How often the player's clock ticks while playing; each tick moves on
/// by the whole steps owed so far ([`Clock`]).
pub const TICK_MS: u32 = 50;

/// The player's clock at one speed: each tick owes a share of a step
/// (the speed's steps a second over the ticks a second), and moves on by
/// the whole steps owed.
#[derive(Clone, Debug)]
pub struct Clock {
    owed: f64,
    per_tick: f64,
}

impl Clock {
    /// A clock at speed index `speed` of [`SPEEDS`].
    pub fn new(speed: usize) -> Clock {
        let rate = SPEEDS[speed.min(SPEEDS.len() - 1)] * STEPS_PER_SECOND_AT_1X;
        Clock {
            owed: 0.0,
            per_tick: rate * f64::from(TICK_MS) / 1000.0,
        }
    }

    /// One tick: the steps to move on by (often 0 at slow speeds).
    pub fn tick(&mut self) -> usize {
        self.owed += self.per_tick;
        let whole = self.owed.floor();
        self.owed -= whole;
        whole as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayerMsg {
    Toggle,
    Forward,
    Back,
    Reset,
    Seek(usize),
    Speed(usize),
    /// The clock moved on by this many steps while playing.
    Tick(usize),
    /// To the next of the [`Course`]'s marks (key n).
    NextMark,
    /// To the previous of the [`Course`]'s marks (key N).
    PrevMark,
    /// Repeat on or off: playing on from the last step starts again at
    /// the first (a widget left running on a lecture-room screen).
    Repeat(bool),
}

/// Where a widget's steps stop, and which of them are worth a jump.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Course {
    /// The steps Step, Back and playing stop at, ascending (the widget's
    /// filter of routine steps); `None`: every step. Seeking and jumps
    /// may still land anywhere.
    pub stops: Option<Rc<Vec<u64>>>,
    /// The steps "next interesting event" jumps to, ascending.
    pub marks: Rc<Vec<u64>>,
    /// What a mark is, for the buttons: e.g. "steal, handoff or
    /// preemption". Empty: no jump buttons.
    pub mark_name: String,
    /// A clock of the widget's own: playing moves to `pace(step, speed)`
    /// at each tick (every [`TICK_MS`]) instead of a number of steps, as
    /// a real trace plays in its own time.
    pub pace: Option<Pace>,
    /// How the speed menu reads with a [`Pace`] (one label for each of
    /// [`SPEEDS`]); `None`: [`SPEED_LABELS`].
    pub speed_labels: Option<&'static [&'static str; 9]>,
}

/// Where one tick of playing leads from a step, at a speed (an index of
/// [`SPEEDS`]): a widget's own clock, such as a trace's time.
#[derive(Clone)]
pub struct Pace(pub Rc<dyn Fn(u64, usize) -> u64>);

impl PartialEq for Pace {
    fn eq(&self, other: &Pace) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Pace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pace")
    }
}

impl Course {
    /// The first mark after `step`.
    pub fn next_mark(&self, step: u64) -> Option<u64> {
        self.marks.iter().copied().find(|&m| m > step)
    }

    /// The last mark before `step`.
    pub fn prev_mark(&self, step: u64) -> Option<u64> {
        self.marks.iter().rev().copied().find(|&m| m < step)
    }

    /// How many stops lie at or before `step`, less one: the scrubber's
    /// place (the step itself without stops).
    pub fn place(&self, step: u64) -> u64 {
        match &self.stops {
            Some(stops) => stops.partition_point(|&s| s <= step).saturating_sub(1) as u64,
            None => step,
        }
    }

    /// The step at scrubber place `place`.
    pub fn step_at(&self, place: u64) -> u64 {
        match &self.stops {
            Some(stops) => stops
                .get(place as usize)
                .or(stops.last())
                .copied()
                .unwrap_or(0),
            None => place,
        }
    }

    /// The scrubber's last place, for a run whose last step is `last`.
    pub fn last_place(&self, last: u64) -> u64 {
        self.place(last)
    }

    /// The `n`-th stop after `step` (forward) or before it (backward),
    /// clamped to the run: the first and last stops, 0 and `last`.
    fn stop_from(&self, step: u64, n: u64, forward: bool, last: u64) -> u64 {
        let Some(stops) = &self.stops else {
            return if forward {
                (step + n).min(last)
            } else {
                step.saturating_sub(n)
            };
        };
        if forward {
            let ahead = stops.partition_point(|&s| s <= step);
            stops
                .get(ahead + n as usize - 1)
                .copied()
                .unwrap_or(last)
                .min(last)
        } else {
            let behind = stops.partition_point(|&s| s < step);
            behind
                .checked_sub(n as usize)
                .and_then(|i| stops.get(i).copied())
                .unwrap_or(0)
        }
    }
}

/// What the keyboard shortcuts do: k or Space play/pause, → or l forward,
/// ← or j back, Home reset, + and - speed, n and N (Shift+n) the next and
/// previous interesting event. Keys aimed at a form control
/// (where arrows and Space already mean something) are left alone.
pub fn shortcut(e: &KeyboardEvent, speed: usize) -> Option<PlayerMsg> {
    let tag = e
        .target_dyn_into::<web_sys::Element>()
        .map(|t| t.tag_name())
        .unwrap_or_default();
    let key = e.key();
    let form_control = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
    // A button uses Space and Enter itself; arrows and letters are free.
    let button_key = tag == "BUTTON" && matches!(key.as_str(), " " | "Enter");
    if form_control || button_key {
        return None;
    }
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    match key.as_str() {
        "k" | " " => Some(PlayerMsg::Toggle),
        "ArrowRight" | "l" => Some(PlayerMsg::Forward),
        "ArrowLeft" | "j" => Some(PlayerMsg::Back),
        "Home" => Some(PlayerMsg::Reset),
        "n" => Some(PlayerMsg::NextMark),
        "N" => Some(PlayerMsg::PrevMark),
        "+" | "=" => Some(PlayerMsg::Speed((speed + 1).min(SPEEDS.len() - 1))),
        "-" => Some(PlayerMsg::Speed(speed.saturating_sub(1))),
        _ => None,
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayerProps {
    pub step: usize,
    /// The last step there is (the scrubber's end).
    pub last: usize,
    pub playing: bool,
    pub speed: usize,
    /// Whether playing on from the last step starts again at the first.
    #[prop_or_default]
    pub repeat: bool,
    pub on: Callback<PlayerMsg>,
    /// Names the controls for screen readers, e.g. "Scheduler playback".
    pub label: AttrValue,
    /// The stops and marks (default: every step, no marks).
    #[prop_or_default]
    pub course: Course,
}

/// The controls, and the clock that sends [`PlayerMsg::Tick`] while playing.
#[function_component(Player)]
pub fn player(props: &PlayerProps) -> Html {
    // The clock outlives renders; it must call the newest callback, which
    // knows the current step, not the one from when playing began.
    let latest = use_mut_ref(|| props.on.clone());
    *latest.borrow_mut() = props.on.clone();
    {
        let on = latest.clone();
        let paced = props.course.pace.is_some();
        use_effect_with(
            (props.playing, props.speed, paced),
            move |&(playing, speed, paced)| {
                let interval = playing.then(|| {
                    let mut clock = Clock::new(speed);
                    Interval::new(TICK_MS, move || {
                        // A paced widget hears every tick; its pace says where
                        // the tick leads.
                        let steps = if paced { 1 } else { clock.tick() };
                        if steps > 0 {
                            let on = on.borrow().clone();
                            on.emit(PlayerMsg::Tick(steps));
                        }
                    })
                });
                move || drop(interval)
            },
        );
    }
    let motion = use_motion();
    let emit = |msg: PlayerMsg| props.on.reform(move |_: MouseEvent| msg);
    let (on, course) = (props.on.clone(), props.course.clone());
    let onseek = Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Ok(v) = input.value().parse() {
                on.emit(PlayerMsg::Seek(course.step_at(v) as usize));
            }
        }
    });
    let on = props.on.clone();
    let onspeed = Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
            if let Ok(v) = select.value().parse() {
                on.emit(PlayerMsg::Speed(v));
            }
        }
    });
    let at_end = props.step >= props.last;
    let course = &props.course;
    let (place, last_place) = (
        course.place(props.step as u64),
        course.last_place(props.last as u64),
    );
    let count = if course.stops.is_some() {
        format!("{place} / {last_place} shown")
    } else {
        format!("{} / {}", props.step, props.last)
    };
    let jumps = (!course.mark_name.is_empty()).then(|| {
        let prev = course.prev_mark(props.step as u64);
        let next = course.next_mark(props.step as u64);
        let name = &course.mark_name;
        html! {
            <>
                <button type="button" onclick={emit(PlayerMsg::PrevMark)} disabled={prev.is_none()}
                    aria-keyshortcuts="Shift+N" title={format!("Previous {name} (N)")}>
                    { format!("« Previous {name}") }
                </button>
                <button type="button" onclick={emit(PlayerMsg::NextMark)} disabled={next.is_none()}
                    aria-keyshortcuts="n" title={format!("Next {name} (n)")}>
                    { match next {
                        Some(step) => format!("Next {name} (step {step}) »"),
                        None => format!("No later {name}"),
                    } }
                </button>
            </>
        }
    });
    html! {
        <div class="player" role="group" aria-label={props.label.clone()}>
            <button type="button" onclick={emit(PlayerMsg::Reset)} disabled={props.step == 0} aria-label="Reset to the start">{ "|◀◀" }</button>
            <button type="button" onclick={emit(PlayerMsg::Back)} disabled={props.step == 0} aria-label="Step back">{ "◀" }</button>
            <button type="button" class="play" onclick={emit(PlayerMsg::Toggle)} disabled={at_end && !props.playing && !props.repeat}
                aria-label={if props.playing { "Pause" } else { "Play" }}>
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button type="button" onclick={emit(PlayerMsg::Forward)} disabled={at_end} aria-label="Step forward">{ "▶|" }</button>
            <label class="scrubber">
                <span class="visually-hidden">{ "Step" }</span>
                <input type="range" min="0" max={last_place.to_string()} value={place.to_string()}
                    aria-valuetext={format!("step {} of {}", props.step, props.last)} oninput={onseek} />
            </label>
            <span class="step-count" aria-hidden="true">{ count }</span>
            <label class="speed">
                { "Speed " }
                <select onchange={onspeed}>
                    { for course.speed_labels.unwrap_or(&SPEED_LABELS).iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ *s }</option>
                    }) }
                </select>
            </label>
            { jumps.unwrap_or_default() }
            <button type="button" class="repeat" aria-pressed={if props.repeat { "true" } else { "false" }}
                onclick={emit(PlayerMsg::Repeat(!props.repeat))}
                title="When the run reaches its last step, play it again from the start">
                { if props.repeat { "⟲ Repeat: on" } else { "⟲ Repeat: off" } }
            </button>
            { motion_toggle(&motion) }
        </div>
    }
}

/// The "Motion" toggle: a button that says its state in words (and in
/// `aria-pressed`), and why nothing moves when the system asks for reduced
/// motion.
fn motion_toggle(motion: &Motion) -> Html {
    let onclick = motion.toggle.reform(|_: MouseEvent| ());
    html! {
        <>
            <button type="button" class="motion-toggle" aria-pressed={motion.toggled_on.to_string()} {onclick}
                title="Whether goroutines and pointers travel when a step moves them; the highlight stays either way">
                { if motion.toggled_on { "Motion: on" } else { "Motion: off" } }
            </button>
            if motion.system_reduces && motion.toggled_on {
                <span class="motion-note">{ "(your system asks for reduced motion, so nothing travels)" }</span>
            }
            if let Some(notice) = &motion.notice {
                <span class="notice motion-note" role="status">{ notice.clone() }</span>
            }
        </>
    }
}

/// What a step widget needs to draw and drive its [`Player`]: the step to
/// show (checked against the run), a notice when the URL's step did not
/// fit, and the playback state. Call [`use_stepper`] before any early
/// return.
#[derive(Clone)]
pub struct Stepper {
    /// The step to show: the URL's, or 0 when it was past the end.
    pub step: u64,
    pub last: u64,
    /// Set when the URL asked for a step the run does not have.
    pub notice: Option<String>,
    pub playing: bool,
    pub speed: usize,
    /// Whether playing on from the last step starts again at the first.
    pub repeat: bool,
    pub on: Callback<PlayerMsg>,
    /// The keyboard shortcuts, for the widget's root element.
    pub onkeydown: Callback<KeyboardEvent>,
    place: Rc<Cell<(u64, u64, bool)>>,
    course: Rc<RefCell<Course>>,
    playing_handle: UseStateHandle<bool>,
}

impl Stepper {
    /// Holds forward steps while a predict-then-reveal question is open;
    /// call it on every render that has one.
    pub fn hold(&self, hold: bool) {
        let (step, last, _) = self.place.get();
        self.place.set((step, last, hold));
    }

    /// Sets the stops and marks; call it on every render that has them,
    /// before [`Stepper::player`].
    pub fn set_course(&self, course: Course) {
        *self.course.borrow_mut() = course;
    }

    /// Stops playing (a knob changed, a new scenario began).
    pub fn stop(&self) {
        self.playing_handle.set(false);
    }

    /// The player's controls for this stepper.
    pub fn player(&self, label: &'static str) -> Html {
        html! {
            <Player step={self.step as usize} last={self.last as usize} playing={self.playing}
                speed={self.speed} repeat={self.repeat} on={self.on.clone()} label={label} course={self.course.borrow().clone()} />
        }
    }
}

/// The stepper of a widget whose URL names step `asked` (under the key
/// `key`, for the notice) of a run whose last step is `last`. `run` is what
/// identifies the run (its parameters): when it changes, playing stops.
/// `go_to` moves the widget to a step, by writing it into its `Params`.
#[hook]
pub fn use_stepper<R>(
    key: &'static str,
    asked: u64,
    last: u64,
    run: R,
    go_to: Callback<u64>,
) -> Stepper
where
    R: PartialEq + 'static,
{
    let (step, notice) = if asked <= last {
        (asked, None)
    } else {
        (
            0,
            Some(format!(
                "The link's {key} is not a number from 0 to {last}; starting at 0."
            )),
        )
    };
    let playing = use_state_eq(|| false);
    let speed = use_state_eq(|| NORMAL_SPEED);
    let repeat = use_state_eq(|| false);
    let place = (*use_memo((), |_| Rc::new(Cell::new((0_u64, 0_u64, false))))).clone();
    let course = (*use_memo((), |_| Rc::new(RefCell::new(Course::default())))).clone();
    // Each render sets its course afresh.
    *course.borrow_mut() = Course::default();
    // Each render says afresh whether a question holds the step.
    place.set((step, last, false));
    {
        let playing = playing.clone();
        use_effect_with(run, move |_| playing.set(false));
    }
    let flush = use_query().flush;
    let on = {
        let (playing, speed, place, course, repeat) = (
            playing.clone(),
            speed.clone(),
            place.clone(),
            course.clone(),
            repeat.clone(),
        );
        Callback::from(move |msg: PlayerMsg| {
            if let PlayerMsg::Repeat(on) = msg {
                repeat.set(on);
                return;
            }
            let (now, last, hold) = place.get();
            let forward = matches!(
                msg,
                PlayerMsg::Forward | PlayerMsg::Tick(_) | PlayerMsg::Toggle | PlayerMsg::NextMark
            );
            if hold && forward {
                // Answer first: the step waits for the prediction.
                playing.set(false);
                return;
            }
            let (s, p, v) = if *repeat && *playing && matches!(msg, PlayerMsg::Tick(_)) {
                repeat_on(&course.borrow(), msg, now as usize, *speed, last as usize)
            } else {
                apply_on(
                    &course.borrow(),
                    msg,
                    now as usize,
                    *playing,
                    *speed,
                    last as usize,
                )
            };
            // Fast key presses and clock ticks build on each other, before
            // the re-render that the URL change starts.
            place.set((s as u64, last, hold));
            playing.set(p);
            speed.set(v);
            // The player's clock and the scrubber (an input event each
            // frame while dragged) move on many times a second: the
            // address bar takes their steps at most every 250 ms, and the
            // last one when they stop (`kit::query::during_playback`).
            let streaming = matches!(msg, PlayerMsg::Tick(_) | PlayerMsg::Seek(_));
            if s as u64 != now {
                if streaming {
                    during_playback(|| go_to.emit(s as u64));
                } else {
                    go_to.emit(s as u64);
                }
            }
            if !streaming {
                // The learner acted (a pause, say): the address bar shows
                // the step now, not at the end of playback's interval.
                flush.emit(());
            }
        })
    };
    let onkeydown = {
        let (on, speed) = (on.clone(), *speed);
        Callback::from(move |e: KeyboardEvent| {
            if let Some(msg) = shortcut(&e, speed) {
                e.prevent_default();
                on.emit(msg);
            }
        })
    };
    Stepper {
        step,
        last,
        notice,
        playing: *playing,
        speed: *speed,
        repeat: *repeat,
        on,
        onkeydown,
        place,
        course,
        playing_handle: playing,
    }
}

/// Applies a player message to (step, playing, speed) on `course`: Step,
/// Back and the clock move between its stops, n and N jump between its
/// marks; clamped to `last`.
pub fn apply_on(
    course: &Course,
    msg: PlayerMsg,
    step: usize,
    playing: bool,
    speed: usize,
    last: usize,
) -> (usize, bool, usize) {
    let (at, end) = (step as u64, last as u64);
    match msg {
        PlayerMsg::Forward => (course.stop_from(at, 1, true, end) as usize, false, speed),
        PlayerMsg::Back => (course.stop_from(at, 1, false, end) as usize, false, speed),
        PlayerMsg::Tick(n) => {
            let next = match &course.pace {
                Some(pace) => (pace.0)(at, speed).clamp(at, end) as usize,
                None => course.stop_from(at, n as u64, true, end) as usize,
            };
            (next, playing && next < last, speed)
        }
        PlayerMsg::NextMark => (
            course.next_mark(at).map_or(step, |m| m.min(end) as usize),
            false,
            speed,
        ),
        PlayerMsg::PrevMark => (
            course.prev_mark(at).map_or(step, |m| m as usize),
            false,
            speed,
        ),
        _ => apply(msg, step, playing, speed, last),
    }
}

/// A clock tick while playing with repeat on: as [`apply_on`], except that
/// a tick from the last step goes back to the course's first stop, and
/// playing goes on.
pub fn repeat_on(
    course: &Course,
    msg: PlayerMsg,
    step: usize,
    speed: usize,
    last: usize,
) -> (usize, bool, usize) {
    if step >= last {
        return (course.step_at(0) as usize, true, speed);
    }
    let (next, _, speed) = apply_on(course, msg, step, true, speed, last);
    (next, true, speed)
}

/// Applies a player message to (step, playing, speed), clamped to `last`,
/// on a course that stops at every step and has no marks.
pub fn apply(
    msg: PlayerMsg,
    step: usize,
    playing: bool,
    speed: usize,
    last: usize,
) -> (usize, bool, usize) {
    match msg {
        PlayerMsg::Toggle => {
            // Play from the start again when at the end.
            let step = if !playing && step >= last { 0 } else { step };
            (step, !playing, speed)
        }
        PlayerMsg::Forward => ((step + 1).min(last), false, speed),
        PlayerMsg::Back => (step.saturating_sub(1), false, speed),
        PlayerMsg::Reset => (0, false, speed),
        PlayerMsg::Seek(s) => (s.min(last), playing, speed),
        PlayerMsg::Speed(s) => (step, playing, s.min(SPEEDS.len() - 1)),
        PlayerMsg::Tick(n) => {
            let next = (step + n).min(last);
            (next, playing && next < last, speed)
        }
        PlayerMsg::NextMark | PlayerMsg::PrevMark | PlayerMsg::Repeat(_) => (step, playing, speed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_speed_label_says_its_speed() {
        for (speed, label) in SPEEDS.iter().zip(SPEED_LABELS) {
            assert_eq!(format!("{speed}x"), label);
        }
    }

    #[test]
    fn playback_stops_at_the_end_and_restarts_from_the_start() {
        assert_eq!(apply(PlayerMsg::Tick(3), 8, true, 2, 10), (10, false, 2));
        assert_eq!(apply(PlayerMsg::Toggle, 10, false, 2, 10), (0, true, 2));
        assert_eq!(apply(PlayerMsg::Back, 0, false, 2, 10), (0, false, 2));
        assert_eq!(
            apply(PlayerMsg::Forward, 3, true, 2, 10),
            (4, false, 2),
            "stepping pauses"
        );
        assert_eq!(apply(PlayerMsg::Seek(99), 3, false, 2, 10), (10, false, 2));
        assert_eq!(
            apply(PlayerMsg::Speed(42), 3, false, 2, 10),
            (3, false, SPEEDS.len() - 1)
        );
    }

    #[test]
    fn with_repeat_the_clock_shows_the_last_step_then_starts_again() {
        let every = Course::default();
        assert_eq!(
            repeat_on(&every, PlayerMsg::Tick(3), 8, 2, 10),
            (10, true, 2)
        );
        assert_eq!(
            repeat_on(&every, PlayerMsg::Tick(3), 10, 2, 10),
            (0, true, 2)
        );
        let stops = course(Some(vec![2, 5, 9]), vec![]);
        assert_eq!(
            repeat_on(&stops, PlayerMsg::Tick(1), 9, 2, 9),
            (2, true, 2),
            "to the first stop"
        );
        assert_eq!(repeat_on(&stops, PlayerMsg::Tick(1), 5, 2, 9), (9, true, 2));
    }

    fn course(stops: Option<Vec<u64>>, marks: Vec<u64>) -> Course {
        Course {
            stops: stops.map(Rc::new),
            marks: Rc::new(marks),
            mark_name: "steal".into(),
            ..Course::default()
        }
    }

    #[test]
    fn a_paced_course_plays_where_its_pace_leads() {
        // Steps at times 0, 10, 20, ...; each tick at speed s moves 5 * (s + 1).
        let times: Vec<u64> = (0..10).map(|i| i * 10).collect();
        let clock = Rc::new(Cell::new(0_u64));
        let c = Course {
            pace: Some(Pace(Rc::new({
                let clock = clock.clone();
                move |_, speed| {
                    clock.set(clock.get() + 5 * (speed as u64 + 1));
                    times.partition_point(|&t| t <= clock.get()) as u64 - 1
                }
            }))),
            ..Course::default()
        };
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(1), 0, true, 0, 9),
            (0, true, 0)
        );
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(1), 0, true, 0, 9),
            (1, true, 0)
        );
        // Never backwards, never past the end, and the end stops playing.
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(1), 5, true, 0, 9),
            (5, true, 0)
        );
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(1), 5, true, 30, 9),
            (9, false, 30)
        );
    }

    #[test]
    fn n_and_shift_n_jump_between_the_marks() {
        let c = course(None, vec![4, 9]);
        assert_eq!(
            apply_on(&c, PlayerMsg::NextMark, 0, true, 2, 20),
            (4, false, 2)
        );
        assert_eq!(apply_on(&c, PlayerMsg::NextMark, 4, false, 2, 20).0, 9);
        assert_eq!(
            apply_on(&c, PlayerMsg::NextMark, 9, false, 2, 20).0,
            9,
            "no later mark"
        );
        assert_eq!(apply_on(&c, PlayerMsg::PrevMark, 9, false, 2, 20).0, 4);
        assert_eq!(apply_on(&c, PlayerMsg::PrevMark, 4, false, 2, 20).0, 4);
        assert_eq!(
            apply_on(&c, PlayerMsg::Forward, 4, false, 2, 20).0,
            5,
            "every step stops"
        );
    }

    #[test]
    fn with_stops_step_back_and_play_skip_the_hidden_steps() {
        let c = course(Some(vec![0, 3, 4, 8]), vec![]);
        assert_eq!(apply_on(&c, PlayerMsg::Forward, 0, false, 2, 10).0, 3);
        assert_eq!(apply_on(&c, PlayerMsg::Forward, 4, false, 2, 10).0, 8);
        assert_eq!(
            apply_on(&c, PlayerMsg::Forward, 8, false, 2, 10).0,
            10,
            "the end"
        );
        assert_eq!(apply_on(&c, PlayerMsg::Back, 8, false, 2, 10).0, 4);
        assert_eq!(
            apply_on(&c, PlayerMsg::Back, 6, false, 2, 10).0,
            4,
            "from a hidden step"
        );
        assert_eq!(apply_on(&c, PlayerMsg::Back, 0, false, 2, 10).0, 0);
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(2), 0, true, 2, 10),
            (4, true, 2)
        );
        assert_eq!(
            apply_on(&c, PlayerMsg::Tick(9), 0, true, 2, 10),
            (10, false, 2)
        );
        assert_eq!((c.place(5), c.step_at(2), c.last_place(10)), (2, 4, 3));
    }
}
