//! The browser, where there is one. The pages are also rendered natively
//! at build time ([`crate::app`]'s `prerender`), where any call into the
//! browser would panic: code that runs while a widget renders asks here.

/// The browser window; `None` when rendering at build time.
pub fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Whether this runs in a browser (not the build-time renderer).
pub fn present() -> bool {
    cfg!(target_arch = "wasm32")
}

/// Milliseconds from the browser's `performance.now()`; always 0 at build
/// time.
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
