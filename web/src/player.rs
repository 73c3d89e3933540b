//! The step player every simulation widget shares: reset, back, play/pause,
//! forward, a scrubber and a speed; keyboard shortcuts that act only while
//! the widget has focus; and a clock that advances while playing.
//!
//! The player owns no simulation: a widget keeps `step` in its own state
//! (usually in the URL) and recomputes what to draw from it.

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// Playback speeds, as multiples of two steps a second.
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// The index of 1x in [`SPEEDS`].
pub const NORMAL_SPEED: usize = 2;
const STEPS_PER_SECOND_AT_1X: f64 = 2.0;
const TICK_MS: u32 = 50;

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
}

/// What the keyboard shortcuts do: k or Space play/pause, → or l forward,
/// ← or j back, Home reset, + and - speed. Keys aimed at a form control
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
    pub on: Callback<PlayerMsg>,
    /// Names the controls for screen readers, e.g. "Scheduler playback".
    pub label: AttrValue,
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
        let rate = SPEEDS[props.speed.min(SPEEDS.len() - 1)] * STEPS_PER_SECOND_AT_1X;
        use_effect_with((props.playing, props.speed), move |(playing, _)| {
            let interval = playing.then(|| {
                let mut owed = 0.0_f64;
                Interval::new(TICK_MS, move || {
                    owed += rate * f64::from(TICK_MS) / 1000.0;
                    let whole = owed.floor();
                    if whole >= 1.0 {
                        owed -= whole;
                        let on = on.borrow().clone();
                        on.emit(PlayerMsg::Tick(whole as usize));
                    }
                })
            });
            move || drop(interval)
        });
    }
    let emit = |msg: PlayerMsg| props.on.reform(move |_: MouseEvent| msg);
    let on = props.on.clone();
    let onseek = Callback::from(move |e: InputEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            if let Ok(v) = input.value().parse() {
                on.emit(PlayerMsg::Seek(v));
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
    html! {
        <div class="player" role="group" aria-label={props.label.clone()}>
            <button type="button" onclick={emit(PlayerMsg::Reset)} disabled={props.step == 0} aria-label="Reset to the start">{ "|◀◀" }</button>
            <button type="button" onclick={emit(PlayerMsg::Back)} disabled={props.step == 0} aria-label="Step back">{ "◀" }</button>
            <button type="button" class="play" onclick={emit(PlayerMsg::Toggle)} disabled={at_end && !props.playing}
                aria-label={if props.playing { "Pause" } else { "Play" }}>
                { if props.playing { "❚❚ Pause" } else { "▶ Play" } }
            </button>
            <button type="button" onclick={emit(PlayerMsg::Forward)} disabled={at_end} aria-label="Step forward">{ "▶|" }</button>
            <label class="scrubber">
                <span class="visually-hidden">{ "Step" }</span>
                <input type="range" min="0" max={props.last.to_string()} value={props.step.to_string()}
                    aria-valuetext={format!("step {} of {}", props.step, props.last)} oninput={onseek} />
            </label>
            <span class="step-count" aria-hidden="true">{ format!("{} / {}", props.step, props.last) }</span>
            <label class="speed">
                { "Speed " }
                <select onchange={onspeed}>
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ format!("{s}x") }</option>
                    }) }
                </select>
            </label>
        </div>
    }
}

/// What a step widget needs to drive a [`Player`]: whether it plays, at
/// what speed, the player's callback and the keyboard shortcuts for the
/// widget's root. Call [`use_playback`] with the hooks, before any early
/// return, then tell it where the run stands with [`Playback::at`].
#[derive(Clone)]
pub struct Playback {
    pub playing: UseStateHandle<bool>,
    pub speed: usize,
    pub on: Callback<PlayerMsg>,
    pub onkeydown: Callback<KeyboardEvent>,
    place: std::rc::Rc<std::cell::Cell<(usize, usize, bool)>>,
    live: std::rc::Rc<std::cell::RefCell<usize>>,
}

impl Playback {
    /// The step on screen, the last step, and whether stepping forward must
    /// wait (a predict-then-reveal question is open).
    pub fn at(&self, step: usize, last: usize, hold: bool) {
        self.place.set((step, last, hold));
        *self.live.borrow_mut() = step;
    }

    /// Stops playing (a knob changed, a new scenario began).
    pub fn stop(&self) {
        self.playing.set(false);
    }
}

/// The playback state of a step widget; `go_to` moves the widget to a step
/// (usually by writing it into the URL).
#[hook]
pub fn use_playback(go_to: Callback<usize>) -> Playback {
    let playing = use_state(|| false);
    let speed = use_state(|| NORMAL_SPEED);
    let place = (*use_memo((), |_| {
        std::rc::Rc::new(std::cell::Cell::new((0, 0, false)))
    }))
    .clone();
    let live = use_mut_ref(|| 0_usize);
    let on = {
        let (playing, speed, place, live) =
            (playing.clone(), speed.clone(), place.clone(), live.clone());
        Callback::from(move |msg: PlayerMsg| {
            let (_, last, hold) = place.get();
            let forward = matches!(
                msg,
                PlayerMsg::Forward | PlayerMsg::Tick(_) | PlayerMsg::Toggle
            );
            if hold && forward {
                // Answer first: the step waits for the prediction.
                playing.set(false);
                return;
            }
            let (s, p, v) = apply(msg, *live.borrow(), *playing, *speed, last);
            *live.borrow_mut() = s;
            playing.set(p);
            speed.set(v);
            go_to.emit(s);
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
    Playback {
        speed: *speed,
        playing,
        on,
        onkeydown,
        place,
        live,
    }
}

/// Applies a player message to (step, playing, speed), clamped to `last`.
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
