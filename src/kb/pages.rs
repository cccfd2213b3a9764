//! Which files under the knowledge-base folder are pages, and what each is called: its name in
//! section ids and where it is published below the docs' base URL.

use super::KbError;
use super::markdown;
use std::path::Path;

/// Whether `p` is a page in a format the knowledge base reads (see [`super::formats`]).
pub(crate) fn is_page(p: &Path) -> bool {
    super::formats::of(p).is_some() && !antora_resource(p)
}

/// Whether `p` is an Antora module's navigation (`modules/ROOT/nav.adoc`) or a file its pages
/// include or link (under `partials/`, `examples/`, `attachments/`, `images/`): not a page.
fn antora_resource(p: &Path) -> bool {
    let names: Vec<&str> = p.iter().filter_map(|c| c.to_str()).collect();
    let resource = ["partials", "examples", "attachments", "images", "nav.adoc"];
    names
        .windows(3)
        .any(|w| w[0] == "modules" && resource.contains(&w[2]))
}

/// The name a page's ids and links carry: its file stem, or for a folder's `index.md`, `_index.md`
/// or `README.md` below one of `roots` (as docs generators lay pages out), the folder's name.
pub(super) fn page_name(p: &Path, roots: &[&Path]) -> String {
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    let folder = p.parent().filter(|f| !roots.contains(f));
    match folder.and_then(|f| f.file_name()).and_then(|f| f.to_str()) {
        Some(f) if is_index(p) => f.to_string(),
        _ => stem.to_string(),
    }
}

/// Where a page is published below the docs' base URL: its folders under `root` and its name
/// (slugged; a folder's index page at the folder), or its front matter's `slug` — from the docs'
/// root when it starts with `/`, else in the page's folder. Empty for a page at the root without a
/// slug: the page's own slug, as its id says.
pub(super) fn published_path(p: &Path, root: &Path, slug_fm: &str) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|f| f.components())
        .filter_map(|c| c.as_os_str().to_str())
        .map(markdown::slug)
        .filter(|c| !c.is_empty())
        .collect();
    antora(&mut parts);
    if let Some(abs) = slug_fm.strip_prefix('/') {
        return abs.trim_end_matches('/').to_string();
    }
    if !slug_fm.is_empty() {
        parts.push(slug_fm.trim_end_matches('/').to_string());
    } else if parts.is_empty() {
        return String::new();
    } else if !is_index(p) {
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
        parts.push(markdown::slug(stem));
    }
    parts.join("/")
}

/// Antora publishes `modules/ROOT/pages/a/b.adoc` at its component's root (`a/b`) and another
/// module's pages under the module's name (`modules/admin/pages/b.adoc` → `admin/b`).
fn antora(parts: &mut Vec<String>) {
    let Some(k) = parts.iter().position(|p| p == "modules") else {
        return;
    };
    if parts.get(k + 2).is_some_and(|p| p == "pages") {
        let module = parts[k + 1].clone();
        parts.drain(..k + 3);
        if module != "root" {
            parts.insert(0, module);
        }
    }
}

/// Whether a page is its folder's index: `index.md`, `_index.md` or `README.md`.
fn is_index(p: &Path) -> bool {
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    ["index", "_index", "readme"].contains(&stem.to_ascii_lowercase().as_str())
}

/// Whether a folder under the knowledge base may hold its pages: not a hidden one (`.git`,
/// `.github`, `.docusaurus`), not `node_modules` and not a generator's output (Sphinx's `_build`,
/// Jekyll's `_site`), so `kb.path` may name a docs site's repository.
pub(crate) fn is_docs_dir(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !(name.starts_with('.') || ["node_modules", "_build", "_site"].contains(&name))
}

/// Whether `inner` is `outer` or a folder under it.
pub(super) fn inside(inner: &Path, outer: &Path) -> bool {
    match (inner.canonicalize(), outer.canonicalize()) {
        (Ok(i), Ok(o)) => i.starts_with(o),
        _ => false,
    }
}

/// Every page under `dir`, into `out`.
pub(super) fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), KbError> {
    let rd = std::fs::read_dir(dir).map_err(|source| KbError::Read {
        path: dir.display().to_string(),
        source,
    })?;
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if is_docs_dir(&p) {
                collect(&p, out)?;
            }
        } else if is_page(&p) {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::kb::Kb;

    #[test]
    fn a_folder_index_page_is_named_by_its_folder_and_tool_folders_are_not_docs() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("guides").join("backups");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join("index.md"),
            "# Backups\n\n## Restore\nStop first.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("README.md"),
            "# Docs\n\n## Start\nRead on.\n",
        )
        .unwrap();
        std::fs::write(sub.join("Faq.md"), "# FAQ\n\n## Why\nBecause.\n").unwrap();
        for skipped in [".git", "node_modules/pkg"] {
            let d = dir.path().join(skipped);
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("notes.md"), "# Notes\n\n## Skip\nNot docs.\n").unwrap();
        }
        let kb = Kb::load(dir.path(), "https://docs.example.com").unwrap();
        let mut ids: Vec<(String, String)> = kb
            .docs
            .iter()
            .map(|d| (d.id.clone(), d.link.clone()))
            .collect();
        ids.sort();
        let base = "https://docs.example.com";
        assert_eq!(
            ids,
            [
                (
                    "backups#restore".into(),
                    format!("{base}/guides/backups#restore")
                ),
                ("faq#why".into(), format!("{base}/guides/backups/faq#why")),
                ("readme#start".into(), format!("{base}/readme#start")),
            ]
        );
    }

    #[test]
    fn antora_modules_publish_their_pages_at_the_component_root_or_the_module_name() {
        let dir = tempfile::tempdir().unwrap();
        let modules = dir.path().join("docs").join("modules");
        for m in ["ROOT/pages/setup", "admin/pages"] {
            std::fs::create_dir_all(modules.join(m)).unwrap();
        }
        let page = |h: &str| format!("= Page\n\n== {h}\n\nText for {h}.\n");
        std::fs::write(
            modules.join("ROOT/pages/setup/install.adoc"),
            page("Docker"),
        )
        .unwrap();
        std::fs::write(modules.join("admin/pages/users.adoc"), page("Invite")).unwrap();
        std::fs::write(
            modules.join("ROOT/nav.adoc"),
            "* xref:setup/install.adoc[]\n",
        )
        .unwrap();
        std::fs::create_dir_all(modules.join("ROOT/partials")).unwrap();
        let partial = "== Docker\n\nRun the container with a volume.\n";
        std::fs::write(modules.join("ROOT/partials/docker.adoc"), partial).unwrap();
        let install =
            page("Docker").replace("Text for Docker.", "include::partial$docker.adoc[lines=3]");
        std::fs::write(modules.join("ROOT/pages/setup/install.adoc"), install).unwrap();
        let kb = Kb::load(dir.path(), "https://docs.example.com").unwrap();
        let mut links: Vec<&str> = kb.docs.iter().map(|d| d.link.as_str()).collect();
        links.sort();
        assert_eq!(
            links,
            [
                "https://docs.example.com/admin/users#invite",
                "https://docs.example.com/setup/install#docker"
            ],
            "neither the navigation nor a partial is a page"
        );
        let docker = kb
            .docs
            .iter()
            .find(|d| d.link.ends_with("#docker"))
            .unwrap();
        assert!(
            docker.body.contains("Run the container with a volume."),
            "{}",
            docker.body
        );
    }

    #[test]
    fn a_front_matter_slug_is_where_the_page_is_published() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("setup");
        std::fs::create_dir_all(&sub).unwrap();
        let page = |slug: &str| format!("---\ntitle: T\nslug: {slug}\n---\n## Step\nDo it.\n");
        std::fs::write(sub.join("a.md"), page("/start-here")).unwrap();
        std::fs::write(sub.join("b.mdx"), page("\"docker-way\"")).unwrap();
        let kb = Kb::load(dir.path(), "https://docs.example.com/").unwrap();
        let mut links: Vec<&str> = kb.docs.iter().map(|d| d.link.as_str()).collect();
        links.sort();
        assert_eq!(
            links,
            [
                "https://docs.example.com/setup/docker-way#step",
                "https://docs.example.com/start-here#step"
            ]
        );
    }
}
