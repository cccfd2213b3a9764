//! GitHub issues: `POST /repos/{owner}/{repo}/issues` at the configured API base URL with the token from
//! the environment. Run only after sign-off; a repeated run of one approval finds the issue it filed
//! (by the approval's marker in the body) instead of filing it twice.

use super::{Executed, tail};
use crate::config::GithubSettings;
use crate::net::{CheckError, NetError};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

fn request(
    g: &GithubSettings,
    method: http::Method,
    path: &str,
    token: &SecretString,
    body: Option<String>,
) -> Result<http::Request<http_body_util::Full<bytes::Bytes>>, NetError> {
    let url = format!("{}{path}", g.api_url.trim_end_matches('/'));
    http::Request::builder()
        .method(method)
        .uri(&url)
        .header("authorization", format!("Bearer {}", token.expose_secret()))
        .header("accept", "application/vnd.github+json")
        .header("x-github-api-version", "2022-11-28")
        .header("user-agent", "opsdesk")
        .header("content-type", "application/json")
        .body(http_body_util::Full::new(bytes::Bytes::from(
            body.unwrap_or_default(),
        )))
        .map_err(|e| NetError::BadUrl {
            url,
            reason: e.to_string(),
        })
}

/// For `opsdesk doctor`: whether the token can see the repository and it takes issues.
pub async fn check(g: &GithubSettings) -> Result<String, CheckError> {
    let token = crate::config::secret(&g.token_env)
        .ok_or_else(|| CheckError::NotSet(g.token_env.clone()))?;
    let path = format!("/repos/{}", g.repo);
    let req = request(g, http::Method::GET, &path, &token, None)?;
    let (status, text) = crate::net::call(req, Duration::from_secs(g.timeout_secs)).await?;
    if !status.is_success() {
        return Err(CheckError::Refused {
            what: format!("{} for {}", g.api_url, g.repo),
            status: status.as_u16(),
            hint: format!("is ${} right?", g.token_env),
        });
    }
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if v["has_issues"] == false {
        return Err(CheckError::Unfit(format!(
            "{} has issues turned off",
            g.repo
        )));
    }
    Ok(format!("{} at {}: issues can be filed", g.repo, g.api_url))
}

/// Files the issue `title`/`body` for approval `id`.
pub async fn run(g: &GithubSettings, id: i64, title: &str, body: &str) -> Executed {
    let fail = |result: String| Executed {
        ok: false,
        result,
        refund: None,
    };
    if g.repo.is_empty() {
        return fail("no GitHub repository is configured (github.repo)".into());
    }
    let Some(token) = crate::config::secret(&g.token_env) else {
        return fail(format!("the GitHub token ${} is not set", g.token_env));
    };
    let timeout = Duration::from_secs(g.timeout_secs);
    let marker = format!("<!-- opsdesk approval #{id} -->");
    // A crash between filing and recording must not file it twice: look for our marker first.
    let search = format!(
        "/repos/{}/issues?state=all&per_page=50&sort=created&direction=desc",
        g.repo
    );
    if let Ok(req) = request(g, http::Method::GET, &search, &token, None)
        && let Ok((status, text)) = crate::net::call(req, timeout).await
        && status.is_success()
    {
        let issues: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        if let Some(i) = issues
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["body"].as_str().is_some_and(|b| b.contains(&marker)))
        {
            return Executed {
                refund: None,
                ok: true,
                result: format!(
                    "Issue #{} already filed: {}",
                    i["number"],
                    i["html_url"].as_str().unwrap_or("")
                ),
            };
        }
    }
    let payload =
        serde_json::json!({"title": title, "body": format!("{body}\n\n{marker}")}).to_string();
    let req = match request(
        g,
        http::Method::POST,
        &format!("/repos/{}/issues", g.repo),
        &token,
        Some(payload),
    ) {
        Ok(r) => r,
        Err(e) => return fail(e.to_string()),
    };
    match crate::net::call(req, timeout).await {
        Ok((status, text)) if status.is_success() => {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            Executed {
                refund: None,
                ok: true,
                result: format!(
                    "Issue #{} filed: {}",
                    v["number"],
                    v["html_url"].as_str().unwrap_or("")
                ),
            }
        }
        Ok((status, text)) => {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let why = v["message"]
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| tail(&text, 300));
            fail(format!("GitHub refused the issue (HTTP {status}): {why}"))
        }
        Err(e) => fail(e.to_string()),
    }
}
