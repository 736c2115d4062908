//! The OpenAPI document: valid OpenAPI 3, every `$ref` resolves, it lists
//! exactly the operations the router registers, and each one is live.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{TestApp, json_with_status};

async fn served_document(app: &TestApp) -> Value {
    json_with_status(app.get("/api/v1/openapi.json").await, 200).await
}

#[tokio::test]
async fn the_document_is_valid_openapi_3() {
    let app = TestApp::spawn();
    let doc = served_document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let parsed = oas3::from_json(doc.to_string()).expect("parses as OpenAPI 3");
    assert!(!parsed.paths.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn every_schema_reference_resolves() {
    let app = TestApp::spawn();
    let doc = served_document(&app).await;
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let pointer = r.strip_prefix('#').expect("local reference");
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap().to_string());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_refs(i, out)),
        _ => {}
    }
}

fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_router_registers() {
    let app = TestApp::spawn();
    let doc = served_document(&app).await;
    let documented = documented_operations(&doc);
    let routed: BTreeSet<(String, String)> = till::api::routes::table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect();
    assert_eq!(documented, routed);
    assert!(routed.iter().all(|(_, p)| p.starts_with("/api/v1/")));
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = TestApp::spawn();
    let doc = served_document(&app).await;
    for (method, path) in documented_operations(&doc) {
        // Fill path parameters with an id nobody has.
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "999999" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let res = app
            .http
            .request(method.parse().unwrap(), app.url(&concrete))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert_ne!(body["code"], "route_not_found", "{method} {path}");
        assert_ne!(status, 405, "{method} {path}");
    }
}

#[tokio::test]
async fn the_docs_page_is_served_from_the_binary() {
    let app = TestApp::spawn();
    let res = app.get("/api/docs").await;
    assert_eq!(res.status(), 301);
    assert_eq!(res.headers()["location"], "/api/docs/");

    let res = app.get("/api/docs/").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-initializer.js"));

    let init = app.get("/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status(), 200);
    assert!(init.text().await.unwrap().contains("/api/v1/openapi.json"));
    let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
}
