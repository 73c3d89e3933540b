//! A goroutine's stack through a recursion: born at 2 KB, doubled and
//! copied when a frame does not fit, halved at GC when mostly empty; it
//! can first ask whether each call grows the stack ([`predict`]). State in
//! the URL: `?frame-bytes=256&depth=40&stack-predict=1&stack-step=5` (see
//! [`state`]).

pub mod draw;
pub mod predict;
pub mod state;
pub mod view;

use std::rc::Rc;

use runtime_model::stack::{StackEventKind, STACK_MIN};
use yew::prelude::*;

use self::draw::{old_stack_bar, stack_bar};
use self::state::{scenario, Action, Params, BASE, DEPTH_LIMIT, FRAME_LIMIT, GCS};
use self::view::{bytes, frames_view, narration};
use crate::kit::checkpoint::{use_checkpoint, CheckpointView};
use crate::kit::controls::{CopyLink, NumberField};
use crate::kit::query::{use_params, view_notices};
use crate::kit::recording::Recording;
use crate::kit::stepper::use_stepper;

#[function_component(StackGrowth)]
pub fn stack_growth() -> Html {
    let url = use_params::<Params>();
    let params = url.params.clone();
    let run = params.run();
    let recording = use_memo(run, |r| Recording::new(scenario(*r), u64::MAX));
    let stepper = use_stepper(
        "stack-step",
        params.step,
        recording.last,
        run,
        url.dispatch.reform(Action::Seek),
    );
    let notices = url.notices_with(stepper.notice.clone());
    let (timeline, mut history) = recording.at(stepper.step, 1);
    let event = history.pop();
    let sim = timeline.sim();
    let question = params
        .predict
        .then(|| predict::question_at(sim, stepper.step))
        .flatten()
        .map(Rc::new);
    let checkpoint = use_checkpoint();
    stepper.hold(checkpoint.is_open(question.as_deref()));
    let on_predict = {
        let (dispatch, stepper) = (url.dispatch.clone(), stepper.clone());
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                stepper.stop();
                dispatch.emit(Action::Predict(input.checked()));
            }
        })
    };

    // A grow or shrink shows the old stack beside the new, to scale.
    let copied = event.as_ref().and_then(|e| match e.kind {
        StackEventKind::Grow {
            old_size, new_size, ..
        }
        | StackEventKind::Shrink {
            old_size, new_size, ..
        } => Some((old_size, new_size)),
        _ => None,
    });
    // An overflow kills the goroutine, so it is always the run's last step.
    let overflow = event.as_ref().and_then(|e| match &e.kind {
        StackEventKind::Overflow { message, .. } => Some(message.clone()),
        _ => None,
    });
    let history = sim.history();
    html! {
        <div class="widget stack-widget">
            { view_notices(&notices) }
            <div class="controls">
                <NumberField id="stack-frame" label="Frame size (bytes)" noun="The frame size" value={run.0} min={1} max={FRAME_LIMIT} on_change={url.dispatch.reform(Action::FrameBytes)} />
                <NumberField id="stack-depth" label="Depth (calls)" noun="The depth" value={run.1} min={1} max={DEPTH_LIMIT} on_change={url.dispatch.reform(Action::Depth)} />
                <label class="check">
                    <input id="stack-predict" type="checkbox" checked={params.predict} onchange={on_predict} />
                    { " Ask me before each call whether it grows the stack, and before each GC whether it shrinks" }
                </label>
                <CopyLink />
            </div>
            <div class="stack-anim" tabindex="-1" onkeydown={stepper.onkeydown.clone()}>
                { stepper.player("Stack playback") }
                <CheckpointView {question} state={checkpoint.clone()} step={stepper.step} name="stack-predict" />
                <p class="narration" aria-live="polite">{ narration(event.as_ref()) }</p>
                <p class="stack-size">
                    <strong>{ format!("Stack: {} ", bytes(sim.size())) }</strong>
                    <span class="stack-size-bytes">{ format!("({} B), {} B in use, {} call(s) deep", sim.size(), sim.used(), sim.frames().len()) }</span>
                </p>
                if let Some((old, new)) = copied {
                    <p class="stack-copy">
                        { format!("{} stack, copied into the {} one below:", bytes(old), bytes(new)) }
                    </p>
                    { old_stack_bar(old, new, sim.used()) }
                }
                { stack_bar(sim.size(), sim.used(), copied.map_or(sim.size(), |(o, n)| o.max(n))) }
                <p class="stack-history">
                    { "Sizes so far: " }
                    { for history.iter().enumerate().map(|(i, s)| html! {
                        <>
                            if i > 0 { <span aria-hidden="true">{ " → " }</span><span class="visually-hidden">{ ", then " }</span> }
                            <span class={classes!("size-chip", (i + 1 == history.len()).then_some("current"))}>{ bytes(*s) }</span>
                        </>
                    }) }
                </p>
                if let Some(message) = overflow {
                    <div class="console" aria-label="Program output">
                        <span class="console-label">{ "Output" }</span>
                        <pre>{ message }</pre>
                    </div>
                }
                { frames_view(sim.frames()) }
            </div>
            <p class="fine-print">
                { format!("Here every goroutine starts with {STACK_MIN} bytes; the entry frames here take {BASE}. The model \
                   follows runtime/stack.go for linux/amd64 and leaves out the stack cache, the \
                   starting size a GC may adapt, and preemption requests that also go through the guard. \
                   After the recursion returns, {GCS} collections run.") }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overflow_is_the_last_step_of_its_run() {
        let recording = Recording::new(scenario((FRAME_LIMIT, DEPTH_LIMIT)), u64::MAX);
        let last = recording.at(recording.last, 1).1.pop();
        assert!(matches!(
            last.map(|e| e.kind),
            Some(StackEventKind::Overflow { .. })
        ));
        let mut straight = scenario((FRAME_LIMIT, DEPTH_LIMIT));
        assert_eq!(straight.run().len() as u64, recording.last);
        let before = recording.at(recording.last - 1, 1).1.pop();
        assert!(!matches!(
            before.map(|e| e.kind),
            Some(StackEventKind::Overflow { .. })
        ));
    }
}
