//! The knowledge base: markdown pages under a folder, split into sections and indexed in memory with
//! tantivy (BM25, English stemming and stop words). Search returns sections with ids, titles and links.

pub mod markdown;
pub mod terms;

use crate::domain::ports::{KbHit, KnowledgeBase};
use std::path::Path;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{Index, IndexReader, TantivyDocument, doc};

#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("knowledge base folder {0} does not exist (set kb.path)")]
    Missing(String),
    #[error("knowledge base folder {0} holds no .md pages")]
    Empty(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("knowledge base index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

struct Fields {
    id: tantivy::schema::Field,
    title: tantivy::schema::Field,
    body: tantivy::schema::Field,
    link: tantivy::schema::Field,
    tags: tantivy::schema::Field,
}

pub struct Kb {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    sections: usize,
    terms: terms::Terms,
    /// Section id → its position in `terms`.
    order: std::collections::HashMap<String, usize>,
    /// Pages left out, each with why (unreadable, not UTF-8).
    pub skipped: Vec<String>,
}

const ANALYZER: &str = "en_kb";

impl Kb {
    /// A knowledge base with no sections: every question goes to a person.
    pub fn empty(base_url: &str) -> Kb {
        Kb::from_sections(&[], base_url).expect("an empty in-memory index builds")
    }

    /// Indexes every `*.md` page under `dir` (recursively). A page that cannot be read (or is not
    /// UTF-8) is skipped with a warning naming it; the others are indexed.
    pub fn load(dir: &Path, base_url: &str) -> Result<Kb, KbError> {
        if !dir.is_dir() {
            return Err(KbError::Missing(dir.display().to_string()));
        }
        let mut pages = Vec::new();
        collect(dir, &mut pages)?;
        pages.sort();
        if pages.is_empty() {
            return Err(KbError::Empty(dir.display().to_string()));
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
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
            docs.extend(markdown::sections(stem, &text));
        }
        let mut kb = Kb::from_sections(&docs, base_url)?;
        kb.skipped = skipped;
        Ok(kb)
    }

    pub fn from_sections(sections: &[markdown::Section], base_url: &str) -> Result<Kb, KbError> {
        let mut sb = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            id: sb.add_text_field("id", STRING | STORED),
            title: sb.add_text_field("title", text.clone()),
            body: sb.add_text_field("body", text),
            link: sb.add_text_field("link", STORED),
            tags: sb.add_text_field("tags", STRING | STORED),
        };
        let index = Index::create_in_ram(sb.build());
        index.tokenizers().register(ANALYZER, terms::analyzer());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let base = base_url.trim_end_matches('/');
        for s in sections {
            let page = s.id.split('#').next().unwrap_or(&s.id);
            let link = match &s.anchor {
                Some(a) => format!("{base}/{page}#{a}"),
                None => format!("{base}/{page}"),
            };
            let title = if s.heading.is_empty() {
                s.page_title.clone()
            } else {
                format!("{} › {}", s.page_title, s.heading)
            };
            let mut d = doc!(fields.id => s.id.clone(), fields.title => title, fields.body => s.body.clone(), fields.link => link);
            for t in &s.tags {
                d.add_text(fields.tags, t);
            }
            writer.add_document(d)?;
        }
        writer.commit()?;
        let reader = index.reader()?;
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.body]);
        parser.set_field_boost(fields.title, 2.0);
        let texts: Vec<String> = sections
            .iter()
            .map(|s| format!("{}\n{}\n{}", s.page_title, s.heading, s.body))
            .collect();
        Ok(Kb {
            index,
            reader,
            fields,
            parser,
            sections: sections.len(),
            terms: terms::Terms::new(texts.iter().map(String::as_str)),
            order: sections
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            skipped: vec![],
        })
    }

    pub fn len(&self) -> usize {
        self.sections
    }

    pub fn is_empty(&self) -> bool {
        self.sections == 0
    }

    fn text(doc: &TantivyDocument, f: tantivy::schema::Field) -> String {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), KbError> {
    let rd = std::fs::read_dir(dir).map_err(|source| KbError::Read {
        path: dir.display().to_string(),
        source,
    })?;
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    Ok(())
}

impl KnowledgeBase for Kb {
    fn search(&self, query: &str, limit: usize) -> Vec<KbHit> {
        // User text is not query syntax: strip operators, then parse leniently (OR of terms).
        let cleaned: String = query
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '\'' {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let (q, _) = self.parser.parse_query_lenient(&cleaned);
        let searcher = self.reader.searcher();
        // BM25 finds the candidates; how much of the question each covers reorders them.
        let pool = (limit * 4).max(20);
        let Ok(top) = searcher.search(&q, &TopDocs::with_limit(pool).order_by_score()) else {
            return vec![];
        };
        let words = self.terms.query(query);
        let mut hits = top
            .into_iter()
            .filter_map(|(score, addr)| {
                let d: TantivyDocument = searcher.doc(addr).ok()?;
                let id = Kb::text(&d, self.fields.id);
                let coverage = self
                    .order
                    .get(&id)
                    .map_or(0.0, |i| self.terms.coverage(&words, *i));
                Some(KbHit {
                    id,
                    coverage,
                    title: Kb::text(&d, self.fields.title),
                    link: Kb::text(&d, self.fields.link),
                    text: Kb::text(&d, self.fields.body),
                    tags: d
                        .get_all(self.fields.tags)
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect(),
                    score,
                })
            })
            .collect::<Vec<KbHit>>();
        rerank(&mut hits);
        hits.truncate(limit);
        hits
    }
}

/// Orders hits by BM25 weighted by coverage: a section that shares one frequent word with a long
/// question falls behind one that covers what the question is about.
fn rerank(hits: &mut [KbHit]) {
    let key = |h: &KbHit| h.score * (h.coverage + 0.05);
    hits.sort_by(|a, b| key(b).total_cmp(&key(a)));
}

impl std::fmt::Debug for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Kb({} sections, {} segments)",
            self.sections,
            self.index
                .searchable_segment_ids()
                .map(|s| s.len())
                .unwrap_or(0)
        )
    }
}
