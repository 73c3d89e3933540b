//! The build explorer's views: sizes and verdicts in words, the summary
//! read out when the choice changes, and one build's facts.

use yew::prelude::*;

use super::state::Choice;
use super::{Build, BuildData, Built, Scratch};
use crate::kit::content::capitalise;

/// `1234567` as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `numer / denom` rounded to `decimals` places, computed in integers.
pub fn fixed(numer: u64, denom: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let scaled = (numer * scale + denom / 2) / denom;
    let (int, frac) = (scaled / scale, scaled % scale);
    if decimals == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// Bytes in MiB with two decimals.
pub fn mib(bytes: u64) -> String {
    fixed(bytes, 1_048_576, 2)
}

/// A size as "2.23 MiB (2,338,030 bytes)".
pub fn size_text(bytes: u64) -> String {
    format!("{} MiB ({} bytes)", mib(bytes), thousands(bytes))
}

/// How a size compares with the default build's.
pub fn diff_text(bytes: u64, base: u64) -> String {
    if bytes == base {
        return "the same size as the default build".to_owned();
    }
    let (sign, d) = if bytes > base {
        ('+', bytes - base)
    } else {
        ('−', base - bytes)
    };
    format!(
        "{sign}{} bytes ({sign}{}%) against the default build",
        thousands(d),
        fixed(d * 100, base, 1)
    )
}

/// What the scratch check says, in a few words with a shape cue.
pub fn scratch_verdict(s: &Scratch) -> (&'static str, &'static str) {
    match s.runs {
        Some(true) => ("✓", "runs on an empty scratch image"),
        Some(false) => ("✗", "does not run on an empty scratch image"),
        None => ("–", "scratch does not apply: not a Linux binary"),
    }
}

/// How the scratch verdict was reached, when the note does not say.
fn scratch_method(s: &Scratch) -> String {
    match s.method.as_str() {
        "chroot" => format!(
            "Tested: {} exited with code {}. ",
            s.command,
            s.exit_code.map_or("none".to_owned(), |c| c.to_string())
        ),
        "derived" if !s.note.starts_with("Derived") => {
            "Derived from the linking facts, not run. ".to_owned()
        }
        _ => String::new(),
    }
}

/// The one-sentence summary read out when the choice changes.
pub fn summary(data: &BuildData, c: &Choice) -> String {
    let cgo = u8::from(data.cgo(c));
    let flags = match (c.strip, c.set_version) {
        (false, false) => String::new(),
        (true, false) => ", -s -w".to_owned(),
        (false, true) => ", -X".to_owned(),
        (true, true) => ", -s -w and -X".to_owned(),
    };
    let head = format!(
        "{} for {} with CGO_ENABLED={cgo}{flags}",
        c.program(),
        c.target().replace('-', "/")
    );
    match data.record(c).map(|b| &b.outcome) {
        None => format!("{head}: no record."),
        Some(Err(_)) => format!("{head}: did not build."),
        Some(Ok(built)) => format!(
            "{head}: {} MiB, {}ally linked, {}.",
            mib(built.binary.size_bytes),
            built.binary.linking,
            scratch_verdict(&built.scratch).1
        ),
    }
}

/// One build: its command, and what it made or why it failed.
pub fn view_build(build: &Build, base: Option<&Built>, is_default: bool, program: &str) -> Html {
    let command = html! {
        <div class="build-command">
            <span class="console-label">{ "Build command (run in tests/buildlab)" }</span>
            <pre tabindex="0" aria-label="Build command"><code>{ format!("$ {}", build.command) }</code></pre>
        </div>
    };
    let built = match &build.outcome {
        Err(error) => {
            return html! {
                <>
                    { command }
                    <div class="build-failed">
                        <p><strong>{ "✗ This combination did not build." }</strong>{ " " }{ build.cgo_note.clone() }</p>
                        <span class="console-label">{ "What go build said" }</span>
                        <pre tabindex="0" aria-label="Build error"><code>{ error.clone() }</code></pre>
                    </div>
                </>
            };
        }
        Ok(built) => built,
    };
    let bin = &built.binary;
    let size_note = if is_default {
        "this is the default build".to_owned()
    } else {
        match base {
            Some(b) => diff_text(bin.size_bytes, b.binary.size_bytes),
            None => "the default build did not build".to_owned(),
        }
    };
    let static_link = bin.linking == "static";
    let (mark, verdict) = scratch_verdict(&built.scratch);
    let symbols = match (&bin.symbol_table, bin.keeps_symbols) {
        (Some(table), true) => format!("✓ kept: {table}, {} symbols", thousands(bin.symbols)),
        (Some(table), false) => format!(
            "✗ stripped: {table} holds only {} imported symbols, none of the program's own",
            bin.symbols - bin.defined_symbols
        ),
        (None, _) => "✗ stripped: no symbol table".to_owned(),
    };
    let dwarf = if bin.keeps_dwarf {
        format!("✓ kept: {} sections", bin.dwarf_sections.len())
    } else {
        "✗ removed: no DWARF sections".to_owned()
    };
    let trimpath = !build.ldflags.is_empty();
    html! {
        <>
            { command }
            <dl class="build-facts">
                <div>
                    <dt>{ "Size" }</dt>
                    <dd class="size">{ size_text(bin.size_bytes) }<br /><span class="muted">{ size_note }</span></dd>
                </div>
                <div>
                    <dt>{ "Linking" }</dt>
                    <dd class={classes!("linking", bin.linking.clone())}>
                        <strong>{ if static_link { "■ static" } else { "◇ dynamic" } }</strong>
                        { format!(" ({})", bin.format) }<br />
                        <span class="muted">{ bin.linking_note.clone() }</span>
                    </dd>
                </div>
                <div>
                    <dt>{ "Symbols" }</dt>
                    <dd class="symbols">{ symbols }</dd>
                </div>
                <div>
                    <dt>{ "DWARF" }</dt>
                    <dd class="dwarf">{ dwarf }</dd>
                </div>
                <div>
                    <dt>{ "Scratch image" }</dt>
                    <dd class={classes!("scratch", match built.scratch.runs { Some(true) => "runs", Some(false) => "fails", None => "na" })}>
                        <strong>{ format!("{mark} {}", capitalise(verdict)) }</strong><br />
                        <span class="muted">{ scratch_method(&built.scratch) }{ built.scratch.note.clone() }</span>
                        if !built.scratch.output.is_empty() {
                            <pre tabindex="0" aria-label="What the scratch run printed"><code>{ built.scratch.output.clone() }</code></pre>
                        }
                    </dd>
                </div>
                <div>
                    <dt>{ "cgo" }</dt>
                    <dd class="cgo">{ build.cgo_note.clone() }</dd>
                </div>
                if let Some(out) = &built.run_output {
                    <div>
                        <dt>{ "When run" }</dt>
                        <dd><code>{ out.clone() }</code></dd>
                    </div>
                }
            </dl>
            <figure class="version-m">
                <pre tabindex="0" aria-label="go version -m output"><code>{ built.version_m.join("\n") }</code></pre>
                <figcaption>
                    <code>{ format!("go version -m {program}") }</code>
                    { ": the build information the binary carries." }
                    if trimpath {
                        <strong>{ " No -ldflags line? " }</strong>
                    } else {
                        { " " }
                    }
                    { "With -trimpath, go build leaves -ldflags out of this record, because linker flags can \
                       hold paths of the machine that built it (go.dev/issue/52372); without -trimpath you \
                       would see a build -ldflags=... line." }
                </figcaption>
            </figure>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_person_wrote_them() {
        assert_eq!(thousands(2338030), "2,338,030");
        assert_eq!(thousands(999), "999");
        assert_eq!(size_text(1_048_576), "1.00 MiB (1,048,576 bytes)");
        assert_eq!(
            diff_text(1507488, 2338030),
            "−830,542 bytes (−35.5%) against the default build"
        );
        assert_eq!(diff_text(5, 5), "the same size as the default build");
        assert_eq!(fixed(1, 3, 2), "0.33");
        assert_eq!(fixed(2, 3, 1), "0.7");
        assert_eq!(fixed(199, 100, 0), "2");
    }
}
