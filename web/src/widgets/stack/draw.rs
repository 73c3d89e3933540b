//! The stack drawn as bars: used bytes from the top, free space, and the
//! guard at the low end that a new frame must not reach; after a copy, the
//! old stack beside the new, to scale.

use runtime_model::stack::STACK_GUARD;
use yew::prelude::*;

/// `part / of`, at most 100%, as a CSS percentage with two decimals,
/// rounded half to even; integer arithmetic keeps float formatting out of
/// the bundle.
fn pct(part: u64, of: u64) -> String {
    let part = part.min(of);
    let of = of.max(1);
    // Stack sizes stay far below 2^40, so this cannot overflow.
    let num = part * 10_000;
    let (q, r) = (num / of, num % of);
    let q = if 2 * r > of || (2 * r == of && q % 2 == 1) {
        q + 1
    } else {
        q
    };
    format!("{}.{:02}%", q / 100, q % 100)
}

/// The stack of `size` bytes with `used` in use, as wide as `size` is of
/// `scale`.
pub fn stack_bar(size: u64, used: u64, scale: u64) -> Html {
    let guard = STACK_GUARD.min(size);
    // SVG, so that the widths are attributes: the site's Content Security
    // Policy forbids inline styles.
    let guard_x = pct(size - guard, size);
    html! {
        <div class="stack-bar-wrap">
            <svg class="stack-bar" width={pct(size, scale)} aria-hidden="true">
                <defs>
                    <pattern id="stack-hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect class="stack-hatch" width="3" height="7" />
                    </pattern>
                </defs>
                <rect class="stack-used" width={pct(used, size)} height="100%" />
                <rect class="stack-guard" x={guard_x.clone()} width={pct(guard, size)} height="100%" />
                <line class="stack-guard-edge" x1={guard_x.clone()} x2={guard_x} y1="0" y2="100%" />
            </svg>
            <div class="stack-bar-legend">
                <span><span class="key key-used" aria-hidden="true"></span>{ format!("used {used} B (top of the stack, hi)") }</span>
                <span><span class="key key-free" aria-hidden="true"></span>{ "free" }</span>
                <span><span class="key key-guard" aria-hidden="true"></span>{ format!("guard {guard} B (lo)") }</span>
            </div>
        </div>
    }
}

/// The stack a grow or shrink copied from: `old` bytes with `used` in use,
/// drawn to the scale of the larger of `old` and `new`.
pub fn old_stack_bar(old: u64, new: u64, used: u64) -> Html {
    html! {
        <svg class="stack-bar old" width={pct(old, old.max(new))} aria-hidden="true">
            <rect class="stack-used" width={pct(used, old)} height="100%" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_capped_and_round_half_to_even() {
        assert_eq!(pct(2048, 4096), "50.00%");
        assert_eq!(pct(9000, 4096), "100.00%");
        assert_eq!(pct(1, 3), "33.33%");
        assert_eq!(pct(1, 16), "6.25%");
        assert_eq!(pct(1, 80_000), "0.00%");
        assert_eq!(pct(3, 80_000), "0.00%", "0.00375 rounds down");
        assert_eq!(pct(5, 80_000), "0.01%", "0.00625 rounds up");
        assert_eq!(pct(0, 0), "0.00%");
    }
}
