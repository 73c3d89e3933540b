//! The browser entry point Trunk builds; everything lives in the library so
//! that wasm-bindgen-test can mount the same components.

fn main() {
    gopherscope_web::start();
}
