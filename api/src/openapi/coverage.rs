//! The router, not the document, says which routes exist: every (method,
//! path) the actix app answers must be in the OpenAPI document, and every
//! documented one must be routed. (`tests/tests/e2e/route_matrix.rs` then
//! holds every documented route to a permission decision.)
//!
//! actix-web has no public route listing. Its `ResourceMap` (the tree of
//! every resource, scopes included) is reachable from a request and derives
//! `Debug`; the paths are read from that, and each path's methods by asking
//! the router itself: a method no resource takes reaches the default service.

use std::collections::BTreeSet;

use actix_web::http::{Method, StatusCode};
use actix_web::{test, web, App, HttpRequest, HttpResponse};
use utoipa::OpenApi;

use super::ApiDoc;
use crate::routes;

/// What the default service answers: nothing routed this request.
const UNROUTED: u16 = 599;

/// Leaf patterns, with their scopes' prefixes, of a `{:#?}`-printed `ResourceMap`.
/// A map printed at indent `i` has its pattern on the line after
/// `patterns: Single(` (at `i + 8`), and its children at `i + 12` inside
/// `nodes: Some([` (at `i + 4`); edges have `nodes: None`. Its `named` map
/// repeats resources and is skipped.
fn leaves(lines: &[&str], at: usize, prefix: &str, out: &mut Vec<String>) {
    let indent = lines[at].len() - lines[at].trim_start().len();
    let at_indent = |i: usize, extra: usize, text: &str| lines[i] == format!("{}{text}", " ".repeat(indent + extra));
    let end = (at + 1..lines.len()).find(|&i| at_indent(i, 0, "}") || at_indent(i, 0, "},")).unwrap_or(lines.len());
    let pattern = (at..end)
        .find(|&i| at_indent(i, 8, "patterns: Single("))
        .map(|i| lines[i + 1].trim().trim_end_matches(',').trim_matches('"').to_owned())
        .unwrap_or_default();
    let path = format!("{prefix}{pattern}");
    match (at..end).find(|&i| at_indent(i, 4, "nodes: Some(")) {
        Some(nodes) => {
            (nodes..end).filter(|&i| at_indent(i, 12, "ResourceMap {")).for_each(|i| leaves(lines, i, &path, out))
        }
        None => out.push(path),
    }
}

/// `/orders/{id}/events` with each parameter filled in.
fn sample(pattern: &str) -> String {
    pattern.split('/').map(|segment| if segment.starts_with('{') { "x" } else { segment }).collect::<Vec<_>>().join("/")
}

async fn routed() -> BTreeSet<(String, String)> {
    let app = test::init_service(App::new().configure(routes::configure).default_service(web::to(
        |req: HttpRequest| async move {
            let status = StatusCode::from_u16(UNROUTED).unwrap_or(StatusCode::NOT_FOUND);
            HttpResponse::build(status).body(format!("{:#?}", req.resource_map()))
        },
    )))
    .await;
    let probe = test::TestRequest::get().uri("/nothing-is-routed-here").to_request();
    let tree = String::from_utf8(test::call_and_read_body(&app, probe).await.to_vec()).unwrap();
    let lines: Vec<&str> = tree.lines().collect();
    let mut paths = Vec::new();
    leaves(&lines, 0, "", &mut paths);
    assert!(paths.len() > 10, "could not read the router's resources (actix's Debug output changed?):\n{tree}");
    let mut found = BTreeSet::new();
    for path in paths {
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            let request = test::TestRequest::default().method(method.clone()).uri(&sample(&path)).to_request();
            if test::call_service(&app, request).await.status().as_u16() != UNROUTED {
                found.insert((method.as_str().to_lowercase(), path.clone()));
            }
        }
    }
    found
}

fn documented() -> BTreeSet<(String, String)> {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |method| (method.clone(), path.clone())))
        .collect()
}

#[actix_web::test]
async fn every_route_of_the_router_is_documented() {
    let (routed, documented) = (routed().await, documented());
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    assert!(undocumented.is_empty(), "routes missing from the OpenAPI document (`paths(…)`): {undocumented:?}");
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(unrouted.is_empty(), "documented routes the router does not answer: {unrouted:?}");
}
