//! The knowledge base: pages under a folder (markdown, reStructuredText, AsciiDoc, HTML), split into
//! sections and indexed in memory with tantivy (BM25, English stemming and stop words). Search
//! returns sections with ids, titles and links.

mod dialects;
mod formats;
mod gaps;
mod html;
mod kramdown;
mod live;
mod mdx;
mod myst;
mod pages;
pub mod passage;
use pages::{collect, inside, page_name, published_path};
pub(crate) use pages::{is_docs_dir, is_page};
mod addresses;
mod adoc;
mod adoc_include;
mod adoc_inline;
mod adoc_table;
pub mod markdown;
pub mod page_text;
mod readme_blocks;
mod rst;
mod rst_inline;
mod rst_table;
mod search;
pub mod semantic;
pub mod terms;

pub use live::LiveKb;
use std::path::Path;
use std::sync::Arc;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, doc};

#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("knowledge base folder {0} does not exist (set kb.path)")]
    Missing(String),
    #[error("knowledge base folder {0} holds no pages ({names})", names = formats::NAMES)]
    Empty(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("knowledge base index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// What a hit shows of a section.
struct Doc {
    id: String,
    title: String,
    link: String,
    body: String,
    tags: Vec<String>,
}

pub struct Kb {
    index: Index,
    reader: IndexReader,
    /// The stored field holding a section's position in `docs`.
    position: tantivy::schema::Field,
    parser: QueryParser,
    docs: Vec<Doc>,
    terms: terms::Terms,
    /// The docs' words, which a question's misspelt ones are read as.
    spelling: crate::words::spelling::Spelling,
    /// Each section's word vectors (`kb.embeddings`), when configured.
    vectors: Option<semantic::SectionVectors>,
    /// Pages left out, each with why (unreadable, not UTF-8).
    pub skipped: Vec<String>,
}

const ANALYZER: &str = "en_kb";

impl Kb {
    /// A knowledge base with no sections: every question goes to a person.
    pub fn empty(base_url: &str) -> Kb {
        Kb::from_sections(&[], base_url).expect("an empty in-memory index builds")
    }

    /// Indexes every page under `dir` (recursively): markdown (`*.md`, `*.markdown`, `*.mdx`),
    /// reStructuredText (`*.rst`), AsciiDoc (`*.adoc`) and, in a folder of none of those, HTML
    /// (`*.html`, `*.htm`). A page
    /// that cannot be read (or is not UTF-8) is skipped with a warning naming it; the others are
    /// indexed.
    pub fn load(dir: &Path, base_url: &str) -> Result<Kb, KbError> {
        Kb::load_with(dir, Path::new(""), base_url)
    }

    /// [`Kb::load`] of `dir` and of the pages people's answers became under `learned` (when it exists
    /// and is not inside `dir`, where they are found already).
    pub fn load_with(dir: &Path, learned: &Path, base_url: &str) -> Result<Kb, KbError> {
        let mut pages = Vec::new();
        if dir.is_dir() {
            collect(dir, &mut pages)?;
            pages = adoc_include::not_included(formats::indexed(pages), dir);
        }
        if learned.is_dir() && !inside(learned, dir) {
            collect(learned, &mut pages)?;
        }
        pages.sort();
        if pages.is_empty() {
            let name = dir.display().to_string();
            return Err(if dir.is_dir() {
                KbError::Empty(name)
            } else {
                KbError::Missing(name)
            });
        }
        let mut docs = Vec::new();
        let mut skipped = vec![];
        for p in &pages {
            let text = match std::fs::read_to_string(p) {
                Ok(t) => t,
                Err(e) => {
                    let why = if e.kind() == std::io::ErrorKind::InvalidData {
                        "not UTF-8".to_string()
                    } else {
                        e.to_string()
                    };
                    tracing::warn!(path = %p.display(), reason = %why, "knowledge-base page skipped");
                    skipped.push(format!("{}: {why}", p.display()));
                    continue;
                }
            };
            let name = page_name(p, &[dir, learned]);
            let root = if p.starts_with(dir) { dir } else { learned };
            let format = formats::of(p).unwrap_or(formats::Format::Markdown);
            let text = match format {
                formats::Format::AsciiDoc => adoc_include::expand(&text, p, root),
                _ => text,
            };
            let text = formats::to_markdown(format, &text);
            let mut sections = markdown::sections(&name, &page_text::normalise(&text));
            for s in &mut sections {
                s.path = published_path(p, root, &s.path);
            }
            docs.extend(sections);
        }
        let mut kb = Kb::from_sections(&docs, base_url)?;
        kb.skipped = skipped;
        Ok(kb)
    }

    pub fn from_sections(sections: &[markdown::Section], base_url: &str) -> Result<Kb, KbError> {
        let mut sb = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let position = sb.add_u64_field("position", STORED);
        let title_f = sb.add_text_field("title", text.clone());
        let body_f = sb.add_text_field("body", text);
        let index = Index::create_in_ram(sb.build());
        index
            .tokenizers()
            .register(ANALYZER, crate::words::analyzer());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let docs: Vec<Doc> = sections.iter().map(|s| Doc::new(s, base_url)).collect();
        for (i, d) in docs.iter().enumerate() {
            writer.add_document(doc!(
                position => i as u64,
                title_f => d.title.clone(),
                body_f => page_text::plain(&d.body),
            ))?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let mut parser = QueryParser::for_index(&index, vec![title_f, body_f]);
        parser.set_field_boost(title_f, 2.0);
        let full: Vec<String> = sections.iter().map(section_text).collect();
        let terms = terms::Terms::new(full.iter().map(String::as_str))
            .with_headings(docs.iter().map(|d| search::own_heading(&d.title)));
        let spelling = crate::words::spelling::Spelling::new(full.iter().map(String::as_str));
        Ok(Kb {
            index,
            reader,
            position,
            parser,
            docs,
            terms,
            spelling,
            vectors: None,
            skipped: vec![],
        })
    }

    /// Ranks sections by meaning too, with these word vectors (see `semantic`).
    pub fn with_vectors(mut self, emb: Arc<crate::vectors::Embeddings>) -> Kb {
        let texts: Vec<String> = self
            .docs
            .iter()
            .map(|d| format!("{}\n{}", d.title, d.body))
            .collect();
        self.vectors = Some(semantic::SectionVectors::new(
            emb,
            texts.iter().map(String::as_str),
        ));
        self
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Each page's text (its sections' titles and bodies, in order), one string per page.
    pub fn page_texts(&self) -> Vec<String> {
        let mut pages: Vec<(&str, String)> = Vec::new();
        for d in &self.docs {
            let page = d.link.split('#').next().unwrap_or(&d.link);
            match pages.last_mut() {
                Some((p, text)) if *p == page => {
                    text.push('\n');
                    text.push_str(&d.title);
                    text.push('\n');
                    text.push_str(&d.body);
                }
                _ => pages.push((page, format!("{}\n{}", d.title, d.body))),
            }
        }
        pages.into_iter().map(|(_, t)| t).collect()
    }
}

/// What coverage reads of a section: its page title, heading and body.
fn section_text(s: &markdown::Section) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        s.page_title,
        s.parents.join("\n"),
        s.heading,
        page_text::plain(&s.body)
    )
}

impl Doc {
    fn new(s: &markdown::Section, base_url: &str) -> Doc {
        let base = base_url.trim_end_matches('/');
        let page = match s.path.as_str() {
            "" => s.id.split('#').next().unwrap_or(&s.id),
            path => path,
        };
        let link = match &s.anchor {
            Some(a) => format!("{base}/{page}#{a}"),
            None => format!("{base}/{page}"),
        };
        let title = std::iter::once(&s.page_title)
            .chain(&s.parents)
            .chain(Some(&s.heading).filter(|h| !h.is_empty()))
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" › ");
        Doc {
            id: s.id.clone(),
            title,
            link,
            body: s.body.clone(),
            tags: s.tags.clone(),
        }
    }
}

impl std::fmt::Debug for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Kb({} sections, {} segments)",
            self.docs.len(),
            self.index
                .searchable_segment_ids()
                .map(|s| s.len())
                .unwrap_or(0)
        )
    }
}
