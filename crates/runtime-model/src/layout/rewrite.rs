//! The "apply" button: a struct's source text with its fields in the
//! optimal order.
//!
//! Like x/tools fieldalignment's suggested fix, a line declaring several
//! names (`a, b int32`) is split into one line per name, and the struct is
//! printed in gofmt's style (one field a line, a tab of indent, columns
//! aligned). Unlike it, comments are kept: a field's own trailing comment
//! and the comment lines just above it move with the field.

use alloc::string::String;
use alloc::vec::Vec;

use super::parser::{Comment, FieldDecl, Span, TypeExprKind};
use super::report::Analysis;
use super::types::Source;

struct Line {
    comments_above: Vec<String>,
    name: String,
    ty: String,
    tag: String,
    comment: String,
}

impl Analysis {
    /// The whole source with type `index`'s struct rewritten in the optimal
    /// order; `None` when the type is not a struct literal the user wrote
    /// or when its order cannot be improved.
    pub fn apply_optimal_order(&self, index: usize) -> Option<String> {
        let report = self.types.get(index)?;
        let optimal = report.optimal.as_ref().filter(|o| o.improves)?;
        let (_, decl) = self.program.user_decls().nth(index)?;
        if decl.source != Source::User {
            return None;
        }
        let spec = self.program.file.types.get(decl.spec? as usize)?;
        let TypeExprKind::Struct(decls) = &spec.ty.kind else {
            return None;
        };
        let src = self.program.src.as_str();
        let comments = &self.program.file.comments;
        // Flatten `a, b T` into one entry per name, as the report's fields are.
        let mut flat: Vec<(usize, Option<Span>)> = Vec::new();
        for (i, d) in decls.iter().enumerate() {
            if d.names.is_empty() {
                flat.push((i, None));
            } else {
                flat.extend(d.names.iter().map(|&n| (i, Some(n))));
            }
        }
        if flat.len() != report.fields.len() {
            return None;
        }
        let open = src[spec.ty.span.start as usize..].find('{')? + spec.ty.span.start as usize;
        let mut lines = Vec::new();
        let mut used = alloc::vec![false; decls.len()];
        for &i in &optimal.order {
            let (d, name) = flat[i];
            let first = !used[d];
            used[d] = true;
            let decl = &decls[d];
            let prev_end = if d == 0 {
                open as u32 + 1
            } else {
                trailing_comment(src, comments, &decls[d - 1])
                    .map_or(decls[d - 1].span.end, |c| c.span.end)
            };
            lines.push(Line {
                comments_above: if first {
                    comments
                        .iter()
                        .filter(|c| c.span.start >= prev_end && c.span.end <= decl.span.start)
                        .map(|c| String::from(c.span.text(src)))
                        .collect()
                } else {
                    Vec::new()
                },
                name: name.map_or(String::new(), |n| n.text(src).into()),
                ty: decl.ty.span.text(src).into(),
                tag: decl.tag.map_or(String::new(), |t| t.text(src).into()),
                comment: match trailing_comment(src, comments, decl) {
                    Some(c) if first => c.span.text(src).into(),
                    _ => String::new(),
                },
            });
        }
        let indent = line_indent(src, spec.ty.span.start as usize);
        let mut out = String::from("struct {\n");
        let name_w = lines.iter().map(|l| l.name.len()).max().unwrap_or(0);
        let ty_w = lines
            .iter()
            .filter(|l| !l.tag.is_empty() || !l.comment.is_empty())
            .filter(|l| !l.ty.contains('\n'))
            .map(|l| l.ty.len())
            .max()
            .unwrap_or(0);
        for l in &lines {
            for c in &l.comments_above {
                out.push_str(&indent);
                out.push('\t');
                out.push_str(c);
                out.push('\n');
            }
            let mut row = String::new();
            if !l.name.is_empty() {
                row.push_str(&l.name);
                pad(&mut row, name_w + 1 - l.name.len());
            }
            row.push_str(&l.ty);
            for extra in [&l.tag, &l.comment] {
                if !extra.is_empty() {
                    let col = row.rsplit('\n').next().map_or(0, str::len);
                    let target = if l.name.is_empty() {
                        ty_w
                    } else {
                        name_w + 1 + ty_w
                    };
                    pad(&mut row, target.saturating_sub(col) + 1);
                    row.push_str(extra);
                }
            }
            out.push_str(&indent);
            out.push('\t');
            out.push_str(row.trim_end());
            out.push('\n');
        }
        out.push_str(&indent);
        out.push('}');
        let span = spec.ty.span;
        let mut new = String::with_capacity(src.len() + out.len());
        new.push_str(&src[..span.start as usize]);
        new.push_str(&out);
        new.push_str(&src[span.end as usize..]);
        Some(new)
    }
}

fn pad(s: &mut String, n: usize) {
    s.extend(core::iter::repeat_n(' ', n));
}

/// The comment after a field on the same line, if any.
fn trailing_comment<'c>(
    src: &str,
    comments: &'c [Comment],
    decl: &FieldDecl,
) -> Option<&'c Comment> {
    comments.iter().find(|c| {
        c.span.start >= decl.span.end
            && src
                .get(decl.span.end as usize..c.span.start as usize)
                .is_some_and(|between| between.trim().is_empty() || between.trim() == ";")
            && !src[decl.span.end as usize..c.span.start as usize].contains('\n')
    })
}

/// The leading whitespace of the line holding byte `at`.
fn line_indent(src: &str, at: usize) -> String {
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::layout::analyze;
    use crate::values::GoArch;

    #[test]
    fn the_fix_reorders_and_splits_multi_name_lines() {
        let src = "package p\n\n// T is padded.\ntype T struct {\n\t// flag first\n\ta bool // a flag\n\tb    int64 `json:\"b\"`\n\tc, d bool\n}\n";
        let a = analyze(src, GoArch::Amd64).unwrap();
        assert_eq!(a.types[0].layout.size, 24);
        let fixed = a.apply_optimal_order(0).unwrap();
        assert_eq!(
            fixed,
            "package p\n\n// T is padded.\ntype T struct {\n\tb int64 `json:\"b\"`\n\t// flag first\n\ta bool  // a flag\n\tc bool\n\td bool\n}\n"
        );
        let again = analyze(&fixed, GoArch::Amd64).unwrap();
        assert_eq!(again.types[0].layout.size, 16);
        assert!(again.apply_optimal_order(0).is_none(), "already optimal");
    }
}
