//! The stepper every step widget shares: the [`Player`] (reset, back,
//! play/pause, forward, a scrubber and a speed; keyboard shortcuts that act
//! only while the widget has focus; a clock that advances while playing) and
//! [`use_stepper`], the one hook that owns the step a widget shows: it
//! checks the URL's step against the run, plays, keeps the speed, holds
//! for an open prediction, and stops when the run changes.
//!
//! The stepper owns no simulation: a widget keeps its step in its `Params`
//! (so in the URL), reaches the state at that step through the model's
//! `Timeline`, and draws it.

use std::cell::Cell;
use std::rc::Rc;

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
    pub on: Callback<PlayerMsg>,
    /// The keyboard shortcuts, for the widget's root element.
    pub onkeydown: Callback<KeyboardEvent>,
    place: Rc<Cell<(u64, u64, bool)>>,
    playing_handle: UseStateHandle<bool>,
}

impl Stepper {
    /// Holds forward steps while a predict-then-reveal question is open;
    /// call it on every render that has one.
    pub fn hold(&self, hold: bool) {
        let (step, last, _) = self.place.get();
        self.place.set((step, last, hold));
    }

    /// Stops playing (a knob changed, a new scenario began).
    pub fn stop(&self) {
        self.playing_handle.set(false);
    }

    /// The player's controls for this stepper.
    pub fn player(&self, label: &'static str) -> Html {
        html! {
            <Player step={self.step as usize} last={self.last as usize} playing={self.playing}
                speed={self.speed} on={self.on.clone()} label={label} />
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
    let place = (*use_memo((), |_| Rc::new(Cell::new((0_u64, 0_u64, false))))).clone();
    // Each render says afresh whether a question holds the step.
    place.set((step, last, false));
    {
        let playing = playing.clone();
        use_effect_with(run, move |_| playing.set(false));
    }
    let on = {
        let (playing, speed, place) = (playing.clone(), speed.clone(), place.clone());
        Callback::from(move |msg: PlayerMsg| {
            let (now, last, hold) = place.get();
            let forward = matches!(
                msg,
                PlayerMsg::Forward | PlayerMsg::Tick(_) | PlayerMsg::Toggle
            );
            if hold && forward {
                // Answer first: the step waits for the prediction.
                playing.set(false);
                return;
            }
            let (s, p, v) = apply(msg, now as usize, *playing, *speed, last as usize);
            // Fast key presses and clock ticks build on each other, before
            // the re-render that the URL change starts.
            place.set((s as u64, last, hold));
            playing.set(p);
            speed.set(v);
            if s as u64 != now {
                go_to.emit(s as u64);
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
        on,
        onkeydown,
        place,
        playing_handle: playing,
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
