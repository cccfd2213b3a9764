//! The page formats the knowledge base reads, by file name: markdown as written; reStructuredText
//! (Sphinx, Read the Docs), AsciiDoc (Asciidoctor, Antora) and HTML (an exported help centre, a
//! built site) converted to markdown first, so every format is split into sections, linked and
//! quoted the same way.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.md`, `.markdown`, `.mdx`
    Markdown,
    /// `.rst`, `.rest`
    Rst,
    /// `.html`, `.htm`
    Html,
    /// `.adoc`, `.asciidoc`
    AsciiDoc,
}

/// The format of the page at `p`, by its extension in any case; `None`: not a page.
pub fn of(p: &Path) -> Option<Format> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "md" | "markdown" | "mdx" => Some(Format::Markdown),
        "rst" | "rest" => Some(Format::Rst),
        "html" | "htm" => Some(Format::Html),
        "adoc" | "asciidoc" => Some(Format::AsciiDoc),
        _ => None,
    }
}

/// What a folder with no page is told it lacks.
pub const NAMES: &str = ".md, .markdown, .mdx, .rst, .adoc, .html";

/// The page's text as markdown.
pub fn to_markdown(format: Format, text: &str) -> String {
    match format {
        Format::Markdown => text.to_string(),
        Format::Rst => super::rst::to_markdown(text),
        Format::Html => super::html::to_markdown(text),
        Format::AsciiDoc => super::adoc::to_markdown(text),
    }
}

/// Of the pages found, those to index: HTML pages only when there is no markdown,
/// reStructuredText or AsciiDoc page, so a docs repository's templates and built copies are not read as
/// pages beside their sources.
pub fn indexed(pages: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let sources = pages
        .iter()
        .any(|p| of(p).is_some_and(|f| f != Format::Html));
    pages
        .into_iter()
        .filter(|p| !sources || of(p) != Some(Format::Html))
        .collect()
}

#[cfg(test)]
#[path = "formats_tests.rs"]
mod tests;
