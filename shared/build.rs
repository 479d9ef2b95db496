// `embed_migrations!` reads ../migrations at compile time: rebuild when a
// migration is added or edited, even if no Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
