//! Saving small bits of progress in `localStorage`, and saying so plainly
//! when the browser will not let us: storage can be blocked (privacy
//! settings, sandboxed iframes), full, or hold something we cannot read.
//! Every caller keeps working without it.

/// Why progress could not be loaded or saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageProblem {
    /// The browser refuses access to localStorage.
    Blocked,
    /// The browser refused to store more.
    Full,
    /// What was stored cannot be read; it names what was wrong.
    Corrupt(String),
}

impl StorageProblem {
    /// A notice for the learner: what happened, and that nothing is lost.
    pub fn notice(&self) -> String {
        match self {
            StorageProblem::Blocked => "This browser does not allow saving progress here (storage is blocked), so your answers will not be remembered after you leave. Everything else works.".to_owned(),
            StorageProblem::Full => "Your progress could not be saved because the browser's storage is full. Everything else works.".to_owned(),
            StorageProblem::Corrupt(why) => format!("Saved progress could not be read ({why}), so this starts fresh. Everything else works."),
        }
    }
}

fn local_storage() -> Result<web_sys::Storage, StorageProblem> {
    super::browser::window()
        .ok_or(StorageProblem::Blocked)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageProblem::Blocked)
}

/// The stored string under `key`, if any.
///
/// At build time (no browser) nothing is stored, and that is no problem.
pub fn load(key: &str) -> Result<Option<String>, StorageProblem> {
    if !super::browser::present() {
        return Ok(None);
    }
    local_storage()?
        .get_item(key)
        .map_err(|_| StorageProblem::Blocked)
}

/// Stores `value` under `key`.
pub fn save(key: &str, value: &str) -> Result<(), StorageProblem> {
    local_storage()?.set_item(key, value).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string());
        match name.as_deref() {
            Some("QuotaExceededError") => StorageProblem::Full,
            _ => StorageProblem::Blocked,
        }
    })
}
