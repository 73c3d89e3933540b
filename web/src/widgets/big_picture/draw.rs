//! The big picture's diagram: boxes for the stages and parts, arrows
//! between them, each box an SVG link to the page that explains it.

use yew::prelude::*;

use crate::kit::link::Link;

/// One box of the map.
struct Node {
    x: i32,
    y: i32,
    w: i32,
    title: &'static str,
    detail: &'static str,
    /// The path of the page the box opens.
    page: &'static str,
}

const H: i32 = 56;

/// The paths of the pages the boxes open, in drawing order.
pub fn pages() -> impl Iterator<Item = &'static str> {
    NODES.iter().map(|n| n.page)
}

const NODES: &[Node] = &[
    Node {
        x: 220,
        y: 8,
        w: 200,
        title: "your Go source",
        detail: "",
        page: "/knobs",
    },
    Node {
        x: 220,
        y: 104,
        w: 200,
        title: "static binary",
        detail: "code + runtime",
        page: "/knobs",
    },
    Node {
        x: 220,
        y: 200,
        w: 200,
        title: "runtime",
        detail: "linked into every binary",
        page: "/diagnose",
    },
    Node {
        x: 8,
        y: 312,
        w: 196,
        title: "scheduler",
        detail: "G-M-P, sysmon",
        page: "/scheduler",
    },
    Node {
        x: 222,
        y: 312,
        w: 196,
        title: "memory",
        detail: "stack/heap, allocator",
        page: "/memory",
    },
    Node {
        x: 436,
        y: 312,
        w: 196,
        title: "garbage collector",
        detail: "tricolor mark-sweep",
        page: "/gc",
    },
    Node {
        x: 8,
        y: 420,
        w: 196,
        title: "CPUs",
        detail: "GOMAXPROCS at once",
        page: "/scheduler",
    },
];

/// Edges as (from, to, label, dashed).
const EDGES: &[(usize, usize, &str, bool)] = &[
    (0, 1, "compile + link", false),
    (1, 2, "", false),
    (2, 3, "", false),
    (2, 4, "", false),
    (2, 5, "", false),
    (3, 6, "", true),
    (4, 5, "feeds", true),
];

fn centre_bottom(n: &Node) -> (i32, i32) {
    (n.x + n.w / 2, n.y + H)
}

fn edge_path(from: &Node, to: &Node) -> (i32, i32, i32, i32) {
    if from.y == to.y {
        // Side by side: from the right edge to the left edge.
        (from.x + from.w, from.y + H / 2, to.x - 4, to.y + H / 2)
    } else {
        let (x1, y1) = centre_bottom(from);
        (x1, y1, to.x + to.w / 2, to.y - 4)
    }
}

/// The map as SVG; `open` gives each box's link its click handler.
pub fn diagram(open: impl Fn(Link) -> Callback<MouseEvent>) -> Html {
    html! {
        <svg viewBox="0 0 640 484" role="group" aria-label="The big picture: from Go source to the runtime's parts">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            { for EDGES.iter().map(|&(a, b, label, dashed)| {
                let (x1, y1, x2, y2) = edge_path(&NODES[a], &NODES[b]);
                html! {
                    <g class={classes!("edge", dashed.then_some("dashed"))} aria-hidden="true">
                        <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} marker-end="url(#arrow)" />
                        if !label.is_empty() {
                            <text x={((x1 + x2) / 2 + 8).to_string()} y={((y1 + y2) / 2 + 4).to_string()} class="edge-label">{ label }</text>
                        }
                    </g>
                }
            }) }
            { for NODES.iter().map(|n| {
                let link = Link::page(n.page);
                html! {
                    <a href={link.href()} onclick={open(link)} class="node">
                        <rect x={n.x.to_string()} y={n.y.to_string()} width={n.w.to_string()} height={H.to_string()} rx="10" />
                        <text x={(n.x + n.w / 2).to_string()} y={(n.y + if n.detail.is_empty() { 33 } else { 24 }).to_string()} class="node-title">{ n.title }</text>
                        if !n.detail.is_empty() {
                            <text x={(n.x + n.w / 2).to_string()} y={(n.y + 44).to_string()} class="node-detail">{ n.detail }</text>
                        }
                    </a>
                }
            }) }
        </svg>
    }
}
