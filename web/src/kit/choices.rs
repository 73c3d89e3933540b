//! Name sets that more than one widget reads from its URL.

use runtime_model::values::GoArch;

use super::query::Choices;

/// Every GOARCH the model knows, by its Go name, in the model's order (the
/// five taught ones first).
pub struct GoArches;

impl Choices for GoArches {
    const DEFAULT: &'static str = "amd64";
    fn names() -> Vec<&'static str> {
        GoArch::ALL.iter().map(|a| a.name()).collect()
    }
}
