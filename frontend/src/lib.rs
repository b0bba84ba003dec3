//! Browser entry point: hydrates the HTML that the server rendered, so pages work before WASM loads
//! and become interactive after.

/// Called by the generated JS loader once the WASM module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
