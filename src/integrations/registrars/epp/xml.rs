//! A small element tree read with quick-xml, enough to walk an EPP answer
//! by local names (prefixes vary between registries), and the escaping
//! every value written into a command goes through.

use std::borrow::Cow;

use quick_xml::{XmlVersion, escape, events::Event};

/// Deeper than any EPP answer nests; a hostile peer cannot make the
/// reader recurse without end.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// The local name, without its prefix (`domain:name` is `name`).
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The element's own text, entities resolved, trimmed.
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The node at a path of local names below this one.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, name| node.child(name))
    }

    /// The text at `path`, when there is an element there.
    pub fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).map(|n| n.text.as_str())
    }
}

/// Parse a document into its root element.
pub fn parse(xml: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) | Event::Empty(e) if stack.len() >= MAX_DEPTH => {
                return Err(format!(
                    "elements nest deeper than {MAX_DEPTH} at <{}>",
                    &*e
                ));
            }
            Event::Start(e) => stack.push(element(&e)?),
            Event::Empty(e) => {
                let node = element(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::End(_) => {
                let mut node = stack.pop().ok_or("an end tag without its start")?;
                node.text = node.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => return Ok(node),
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t),
            Event::GeneralRef(r) => {
                let resolved: Cow<'_, str> =
                    match r.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c.to_string().into(),
                        None => escape::resolve_predefined_entity(&r)
                            .ok_or_else(|| format!("unknown entity &{};", &*r))?
                            .into(),
                    };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => return Err("the document ended before its root element".into()),
            // Declarations, comments and processing instructions say
            // nothing EPP needs; a DOCTYPE could declare entities, which
            // are refused above when used.
            _ => {}
        }
    }
}

fn push_text(stack: &mut [Node], text: &str) {
    if let Some(node) = stack.last_mut() {
        node.text.push_str(text);
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Node, String> {
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|e| e.to_string())?;
        let key = attr.key.local_name().as_ref().to_string();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Node {
        name: e.local_name().as_ref().to_string(),
        attrs,
        ..Node::default()
    })
}

/// `value` escaped for element text or an attribute (`<`, `>`, `&`, `'`
/// and `"`). Every value a command carries goes through here.
pub fn esc(value: &str) -> Cow<'_, str> {
    escape::escape(value)
}

/// `<tag>value</tag>` with the value escaped.
pub fn el(tag: &str, value: &str) -> String {
    format!("<{tag}>{}</{tag}>", esc(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_read_by_local_name_with_entities_resolved() {
        let doc = parse(
            r#"<?xml version="1.0"?><epp xmlns="urn:ietf:params:xml:ns:epp-1.0">
            <response><result code="1000"><msg>Fish &amp; chips &#x263A;</msg></result>
            <resData><domain:chkData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
            <domain:cd><domain:name avail="0">a&lt;b.com</domain:name></domain:cd>
            </domain:chkData></resData></response></epp>"#,
        )
        .unwrap();
        assert_eq!(doc.name, "epp");
        let result = doc.at(&["response", "result"]).unwrap();
        assert_eq!(result.attr("code"), Some("1000"));
        assert_eq!(result.text_at(&["msg"]), Some("Fish & chips ☺"));
        let name = doc
            .at(&["response", "resData", "chkData", "cd", "name"])
            .unwrap();
        assert_eq!(
            (name.text.as_str(), name.attr("avail")),
            ("a<b.com", Some("0"))
        );
    }

    #[test]
    fn broken_documents_and_unknown_entities_are_refused() {
        assert!(parse("<epp><response></epp>").is_err());
        assert!(parse("<epp>&custom;</epp>").is_err());
        assert!(parse("").is_err());
        let deep = "<a>".repeat(40) + &"</a>".repeat(40);
        assert!(parse(&deep).unwrap_err().contains("deeper"));
    }

    #[test]
    fn values_are_escaped_for_text_and_attributes() {
        assert_eq!(
            el("contact:name", r#"O'Brien & <Sons> "Ltd""#),
            "<contact:name>O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;</contact:name>"
        );
    }
}
