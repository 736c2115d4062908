//! Reading EPP answers (RFC 5730 section 2.6): the greeting, and a
//! response's result code and message, transaction ids and `resData`.
//! Which codes are worth retrying is decided here, once.

use super::xml::{self, Node};
use crate::integrations::{outbound::excerpt, registrars::RegistrarError};

/// What the server said it speaks.
#[derive(Debug, Clone, Default)]
pub struct Greeting {
    pub server: String,
    pub objects: Vec<String>,
    pub extensions: Vec<String>,
}

pub fn greeting(xml_text: &str) -> Result<Greeting, RegistrarError> {
    let doc = document(xml_text)?;
    let g = doc
        .child("greeting")
        .ok_or_else(|| unreadable("the server's first message is not a greeting"))?;
    let menu = g.child("svcMenu");
    let texts = |node: Option<&Node>, name: &str| -> Vec<String> {
        node.map(|n| n.children_named(name).map(|c| c.text.clone()).collect())
            .unwrap_or_default()
    };
    Ok(Greeting {
        server: g.text_at(&["svID"]).unwrap_or_default().to_string(),
        objects: texts(menu, "objURI"),
        extensions: texts(menu.and_then(|m| m.child("svcExtension")), "extURI"),
    })
}

/// One response.
#[derive(Debug, Clone)]
pub struct Response {
    pub code: u16,
    pub message: String,
    pub cl_trid: Option<String>,
    pub sv_trid: Option<String>,
    pub data: Option<Node>,
    pub extension: Option<Node>,
}

impl Response {
    /// The first element inside `resData` (e.g. `domain:infData`).
    pub fn data(&self) -> Result<&Node, RegistrarError> {
        self.data
            .as_ref()
            .and_then(|d| d.children.first())
            .ok_or_else(|| unreadable("the response has no resData"))
    }

    /// 1001: accepted, to be finished by the registry later.
    pub fn pending(&self) -> bool {
        self.code == 1001
    }
}

pub fn response(xml_text: &str) -> Result<Response, RegistrarError> {
    let doc = document(xml_text)?;
    let r = doc
        .child("response")
        .ok_or_else(|| unreadable("the answer is not a response"))?;
    let result = r
        .child("result")
        .ok_or_else(|| unreadable("the response has no result"))?;
    let code = result
        .attr("code")
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| unreadable("the result has no code"))?;
    // A server may explain a failure in extValue/reason as well as msg.
    let mut message = result.text_at(&["msg"]).unwrap_or_default().to_string();
    if let Some(reason) = result.text_at(&["extValue", "reason"]) {
        message = format!("{message}: {reason}");
    }
    Ok(Response {
        code,
        message,
        cl_trid: r.text_at(&["trID", "clTRID"]).map(str::to_string),
        sv_trid: r.text_at(&["trID", "svTRID"]).map(str::to_string),
        data: r.child("resData").cloned(),
        extension: r.child("extension").cloned(),
    })
}

/// The response as a success, or the error its code stands for.
pub fn success(r: Response) -> Result<Response, RegistrarError> {
    match r.code {
        1000..=1999 => Ok(r),
        code => Err(error_for(code, &r.message)),
    }
}

/// 2400 (command failed), 2500 and 2502 (closing the connection; session
/// limit) are the server's trouble: retry. Authentication failures
/// (2200, 2501) and every other 2xxx are answers about the request.
pub fn error_for(code: u16, message: &str) -> RegistrarError {
    match code {
        2400 | 2500 | 2502 => {
            RegistrarError::Transient(format!("EPP {code}: {}", excerpt(message)))
        }
        _ => RegistrarError::refused(code.to_string(), message),
    }
}

fn document(xml_text: &str) -> Result<Node, RegistrarError> {
    let doc = xml::parse(xml_text).map_err(|e| unreadable(&format!("not XML: {e}")))?;
    if doc.name != "epp" {
        return Err(unreadable("the answer is not an EPP document"));
    }
    Ok(doc)
}

/// An answer we cannot read; what the registry did is unknown, so it is
/// worth asking again.
pub fn unreadable(what: &str) -> RegistrarError {
    RegistrarError::Transient(format!("unreadable EPP answer: {}", excerpt(what)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><response>
<result code="1000"><msg>Command completed successfully</msg></result>
<resData><domain:infData xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">
<domain:name>example.com</domain:name></domain:infData></resData>
<trID><clTRID>ABC-12345</clTRID><svTRID>54322-XYZ</svTRID></trID>
</response></epp>"#;

    #[test]
    fn a_response_gives_its_code_message_ids_and_data() {
        let r = success(response(INFO).unwrap()).unwrap();
        assert_eq!(r.code, 1000);
        assert_eq!(r.message, "Command completed successfully");
        assert_eq!(r.cl_trid.as_deref(), Some("ABC-12345"));
        assert_eq!(r.sv_trid.as_deref(), Some("54322-XYZ"));
        assert_eq!(r.data().unwrap().name, "infData");
    }

    #[test]
    fn server_trouble_is_transient_and_everything_else_is_refused() {
        for code in [2400, 2500, 2502] {
            assert!(error_for(code, "busy").retryable(), "{code}");
        }
        for code in [2302, 2201, 2202, 2200, 2501, 2303, 2005] {
            let e = error_for(code, "no");
            assert!(
                matches!(&e, RegistrarError::Refused { code: c, .. } if *c == code.to_string()),
                "{code}: {e:?}"
            );
        }
    }

    #[test]
    fn a_failure_carries_the_reason_and_at_most_200_bytes_of_it() {
        let long = "x".repeat(500);
        let xml = format!(
            "<epp><response><result code=\"2306\"><msg>Parameter value policy error</msg>\
             <extValue><value/><reason>{long}</reason></extValue></result></response></epp>"
        );
        let err = success(response(&xml).unwrap()).unwrap_err();
        let RegistrarError::Refused { code, message } = err else {
            panic!("{err:?}")
        };
        assert_eq!(code, "2306");
        assert!(message.starts_with("Parameter value policy error: xxx"));
        assert!(message.len() <= 200 + '…'.len_utf8());
    }

    #[test]
    fn a_greeting_lists_objects_and_extensions() {
        let g = greeting(
            "<epp><greeting><svID>Example EPP server</svID><svcMenu><version>1.0</version>\
             <objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>\
             <objURI>urn:ietf:params:xml:ns:host-1.0</objURI><svcExtension>\
             <extURI>urn:ietf:params:xml:ns:rgp-1.0</extURI></svcExtension></svcMenu>\
             </greeting></epp>",
        )
        .unwrap();
        assert_eq!(g.server, "Example EPP server");
        assert_eq!(g.objects.len(), 2);
        assert_eq!(g.extensions, ["urn:ietf:params:xml:ns:rgp-1.0"]);
        assert!(greeting("<epp><response/></epp>").is_err());
        assert!(response("<html/>").unwrap_err().retryable());
    }
}
