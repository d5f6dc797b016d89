//! The few REST calls the load modes make on a Parcours server.

use anyhow::Context;

/// Signs up a throwaway account on a Parcours server and creates a map with it.
/// Returns the map id and the session token.
pub async fn create_map(api: &str) -> anyhow::Result<(String, String)> {
    let api = api.trim_end_matches('/');
    let http = reqwest::Client::new();
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let session: serde_json::Value = http
        .post(format!("{api}/api/auth/signup"))
        .json(&serde_json::json!({
            "email": format!("bench-{nonce}@example.com"),
            "display_name": "Load test",
            "password": format!("bench-password-{nonce}"),
        }))
        .send()
        .await
        .context("cannot reach the REST API (give --room for a non-Parcours server)")?
        .error_for_status()
        .context("sign-up refused (is sign-up invite-only? give --room and --query token=...)")?
        .json()
        .await?;
    let token = session["token"]
        .as_str()
        .context("no token in the sign-up answer")?
        .to_owned();
    let id = new_map(
        &http,
        api,
        &token,
        serde_json::json!({"title": "Load test", "itinerary": "linear"}),
    )
    .await?;
    Ok((id, token))
}

/// Creates a map on a Parcours server as `token`'s account (`body`: the REST API's
/// create request, e.g. a title and a template); returns its id.
pub async fn new_map(
    http: &reqwest::Client,
    api: &str,
    token: &str,
    body: serde_json::Value,
) -> anyhow::Result<String> {
    let map: serde_json::Value = http
        .post(format!("{api}/api/maps"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(map["id"]
        .as_str()
        .context("no id in the create response")?
        .to_owned())
}
