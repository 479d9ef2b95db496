//! The web apps' build (`web/dist`) is embedded in release builds and read
//! from disk in debug ones (`src/web_app.rs`). rust-embed decides when the api
//! compiles whether that folder exists, and a debug api compiled without it
//! would never serve the apps, even once they are built: so the folder is
//! made (empty until `scripts/web-build` fills it) before the api compiles,
//! and a new build of the apps recompiles a release api.
fn main() {
    let dist = std::path::Path::new("../web/dist");
    if let Err(e) = std::fs::create_dir_all(dist) {
        println!("cargo:warning=cannot create web/dist: {e}");
    }
    println!("cargo:rerun-if-changed=../web/dist");
}
