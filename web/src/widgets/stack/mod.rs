//! A goroutine's stack through a recursion: born at 2 KB, doubled and
//! copied when a frame does not fit, halved at GC when mostly empty. State
//! in the URL: `?frame-bytes=256&depth=40&stack-step=5`.

use runtime_model::stack::{StackEvent, StackEventKind, StackSim, STACK_GUARD, STACK_MIN};
use yew::prelude::*;

use crate::kit::controls::{parse_whole, CopyLink, NumberField};
use crate::kit::query::{param, use_query_state};
use crate::kit::stepper::use_stepper;
use crate::widgets::allocator::{go_function_link, percent};

/// Bytes the goroutine's entry frames take before the recursion starts.
pub const BASE: u64 = 200;
/// Collections after the recursion returns.
pub const GCS: usize = 4;
pub const FRAME_LIMIT: u64 = 1 << 20;
pub const DEPTH_LIMIT: u64 = 1000;
const DEFAULT_FRAME: u64 = 256;
const DEFAULT_DEPTH: u64 = 40;
/// Frames drawn one by one; deeper ones are counted.
const FRAMES_SHOWN: usize = 8;

/// Reads `frame-bytes` and `depth`; malformed values fall back to their
/// defaults with a sentence saying so.
pub fn resolve(frame: Option<&str>, depth: Option<&str>) -> ((u64, u64), Vec<String>) {
    let mut notices = Vec::new();
    let mut read = |text: Option<&str>, what: &str, key: &str, max: u64, default: u64| match text {
        None => default,
        Some(t) => parse_whole(t, what, 1, max).unwrap_or_else(|why| {
            notices.push(format!(
                "The link's {key} is not usable ({why}); using {default}."
            ));
            default
        }),
    };
    let frame = read(
        frame,
        "The frame size",
        "frame-bytes",
        FRAME_LIMIT,
        DEFAULT_FRAME,
    );
    let depth = read(depth, "The depth", "depth", DEPTH_LIMIT, DEFAULT_DEPTH);
    ((frame, depth), notices)
}

pub fn scenario(frame: u64, depth: u64) -> StackSim {
    StackSim::recursion(BASE, frame, depth as usize, GCS)
}

fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// A CSS percentage, at most 100%.
fn pct(part: u64, of: u64) -> String {
    percent(part.min(of), of, 2)
}

/// The stack as a bar: used bytes from the top, free space, and the guard
/// at the low end that a new frame must not reach.
fn stack_bar(size: u64, used: u64, scale: u64) -> Html {
    let guard = STACK_GUARD.min(size);
    let style = format!(
        "--used: {}; --guard: {}; width: {}",
        pct(used, size),
        pct(guard, size),
        pct(size, scale)
    );
    html! {
        <div class="stack-bar-wrap">
            <div class="stack-bar" {style} aria-hidden="true">
                <span class="stack-used"></span>
                <span class="stack-guard"></span>
            </div>
            <div class="stack-bar-legend">
                <span><span class="key key-used" aria-hidden="true"></span>{ format!("used {used} B (top of the stack, hi)") }</span>
                <span><span class="key key-free" aria-hidden="true"></span>{ "free" }</span>
                <span><span class="key key-guard" aria-hidden="true"></span>{ format!("guard {guard} B (lo)") }</span>
            </div>
        </div>
    }
}

fn frames_view(frames: &[u64]) -> Html {
    let hidden = frames.len().saturating_sub(FRAMES_SHOWN);
    html! {
        <ol class="frames" aria-label="Frames, innermost first" reversed=true>
            { for frames.iter().enumerate().rev().take(FRAMES_SHOWN).map(|(i, f)| html! {
                <li class="frame" value={(i + 1).to_string()}>{ format!("call {}: {} B", i + 1, f) }</li>
            }) }
            if hidden > 0 {
                <li class="frame more" value="0">{ format!("… {hidden} more call(s) below") }</li>
            }
            <li class="frame entry" value="0">{ format!("entry frames: {BASE} B") }</li>
        </ol>
    }
}

fn narration(event: Option<&StackEvent>) -> Html {
    let Some(e) = event else {
        return html! { { "Press Step (or →) to make the first call." } };
    };
    let file = (!e.go_function.is_empty()).then_some("runtime/stack.go");
    let copies = matches!(
        e.kind,
        StackEventKind::Grow { .. } | StackEventKind::Shrink { .. }
    );
    html! {
        <>
            <strong>{ format!("Step {}: ", e.tick) }</strong>{ e.text.clone() }{ " " }
            { go_function_link(e.go_function, file) }
            if copies {
                { ", which calls " }{ go_function_link("copystack", Some("runtime/stack.go")) }
            }
        </>
    }
}

#[function_component(StackGrowth)]
pub fn stack_growth() -> Html {
    let (query, set_query) = use_query_state();
    let ((frame, depth), mut notices) = resolve(
        param(&query, "frame-bytes").as_deref(),
        param(&query, "depth").as_deref(),
    );
    let last = *use_memo((frame, depth), |&(f, d)| scenario(f, d).run().len());
    let stepper = {
        let set_query = set_query.clone();
        let asked = param(&query, "stack-step").map_or(0, |s| s.parse::<u64>().unwrap_or(u64::MAX));
        use_stepper(
            "stack-step",
            asked,
            last as u64,
            (frame, depth),
            Callback::from(move |s: u64| set_query.emit(vec![("stack-step", Some(s.to_string()))])),
        )
    };
    notices.extend(stepper.notice.clone());
    let step = stepper.step as usize;
    let mut sim = scenario(frame, depth);
    let events = sim.run_until(step as u64);
    let event = events.last();

    let playing = stepper.clone();
    let onkeydown = stepper.onkeydown.clone();
    let setter = |key: &'static str| {
        let (set_query, playing) = (set_query.clone(), playing.clone());
        Callback::from(move |v: u64| {
            playing.stop();
            set_query.emit(vec![
                (key, Some(v.to_string())),
                ("stack-step", Some("0".into())),
            ]);
        })
    };

    // A grow or shrink shows the old stack beside the new, to scale.
    let copied = event.and_then(|e| match e.kind {
        StackEventKind::Grow {
            old_size, new_size, ..
        }
        | StackEventKind::Shrink {
            old_size, new_size, ..
        } => Some((old_size, new_size)),
        _ => None,
    });
    let history = sim.history();
    let overflow = events.iter().find_map(|e| match &e.kind {
        StackEventKind::Overflow { message, .. } => Some(message.clone()),
        _ => None,
    });
    html! {
        <div class="widget stack-widget">
            { for notices.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
            <div class="controls">
                <NumberField id="stack-frame" label="Frame size (bytes)" noun="The frame size" value={frame} min={1} max={FRAME_LIMIT} on_change={setter("frame-bytes")} />
                <NumberField id="stack-depth" label="Depth (calls)" noun="The depth" value={depth} min={1} max={DEPTH_LIMIT} on_change={setter("depth")} />
                <CopyLink />
            </div>
            <div class="stack-anim" tabindex="-1" {onkeydown}>
                { stepper.player("Stack playback") }
                <p class="narration" aria-live="polite">{ narration(event) }</p>
                <p class="stack-size">
                    <strong>{ format!("Stack: {} ", bytes(sim.size())) }</strong>
                    <span class="stack-size-bytes">{ format!("({} B), {} B in use, {} call(s) deep", sim.size(), sim.used(), sim.frames().len()) }</span>
                </p>
                if let Some((old, new)) = copied {
                    <p class="stack-copy">
                        { format!("{} stack, copied into the {} one below:", bytes(old), bytes(new)) }
                    </p>
                    <div class="stack-bar old" style={format!("width: {}", pct(old, old.max(new)))} aria-hidden="true">
                        <span class="stack-used" style={format!("--used: {}", pct(sim.used(), old))}></span>
                    </div>
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
                { format!("Every goroutine starts with {STACK_MIN} bytes; the entry frames here take {BASE}. The model \
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
    fn the_default_run_grows_at_step_five_and_shrinks_back_at_gc() {
        let ((f, d), n) = resolve(None, None);
        assert!(n.is_empty());
        let mut sim = scenario(f, d);
        sim.run_until(4);
        assert_eq!(sim.size(), 2048);
        sim.run_until(5);
        assert_eq!(sim.size(), 4096);
        sim.run();
        assert_eq!(sim.history(), [2048, 4096, 8192, 16384, 8192, 4096, 2048]);
    }

    #[test]
    fn bad_url_values_fall_back_with_a_notice() {
        let ((f, d), n) = resolve(Some("0"), Some("lots"));
        assert_eq!((f, d, n.len()), (DEFAULT_FRAME, DEFAULT_DEPTH, 2));
        let ((f, d), n) = resolve(Some("1048576"), Some("1000"));
        assert_eq!((f, d, n.len()), (FRAME_LIMIT, DEPTH_LIMIT, 0));
    }

    #[test]
    fn the_largest_settings_end_in_a_stack_overflow() {
        let events = scenario(FRAME_LIMIT, DEPTH_LIMIT).run();
        assert!(matches!(
            events.last().unwrap().kind,
            StackEventKind::Overflow { .. }
        ));
    }
}
