//! The stack widget's views: its frames, innermost first, and the
//! narration of a step with links into runtime/stack.go.

use runtime_model::stack::{StackEvent, StackEventKind};
use yew::prelude::*;

use super::state::BASE;
use crate::kit::link::go_function;

/// Frames drawn one by one; deeper ones are counted.
const FRAMES_SHOWN: usize = 8;

/// A byte count in the largest unit that divides it exactly.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// The innermost [`FRAMES_SHOWN`] frames, a count of the rest, and the
/// entry frames.
pub fn frames_view(frames: &[u64]) -> Html {
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

/// What the step just taken did; before the first, how to take it.
pub fn narration(event: Option<&StackEvent>) -> Html {
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
            { go_function(e.go_function, file) }
            if copies {
                { ", which calls " }{ go_function("copystack", Some("runtime/stack.go")) }
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(bytes(2048), "2 KB");
        assert_eq!(bytes(3 << 20), "3 MB");
        assert_eq!(bytes(2100), "2100 B");
    }
}
