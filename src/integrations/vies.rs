//! VIES, the European Commission's VAT number check: the SOAP operation
//! `checkVat` of `checkVatService` (namespace
//! `urn:ec.europa.eu:taxud:vies:services:checkVat:types`). The answer is a
//! `checkVatResponse` whose `valid` says it all, with the trader's `name`
//! and `address` when the member state shares them; a `soap:Fault` names
//! why there is no answer (`MS_UNAVAILABLE`, `TIMEOUT`, `INVALID_INPUT`,
//! ...). Only `INVALID_INPUT` is an answer about the number; everything
//! else, like a timeout or a dropped connection, means "ask again later".
//!
//! The documents are small and fixed, so they are written and read here
//! without an XML library: the request is a template with escaped values,
//! and the response is read by element name, whatever the namespace prefix.

use std::time::Duration;

/// What VIES said about one number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViesAnswer {
    Valid {
        name: String,
        address: String,
        /// VIES's own date of the check (`2026-01-15+01:00`).
        request_date: String,
    },
    Invalid,
    /// No answer about the number: why (a fault code, or the transport).
    Unavailable(String),
}

const NAMESPACE: &str = "urn:ec.europa.eu:taxud:vies:services:checkVat:types";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The `checkVat` request for `country` (a VAT prefix such as `EL`) and
/// `number` (without the prefix).
pub fn request_body(country: &str, number: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:urn=\"{NAMESPACE}\"><soapenv:Header/><soapenv:Body><urn:checkVat>\
         <urn:countryCode>{}</urn:countryCode><urn:vatNumber>{}</urn:vatNumber>\
         </urn:checkVat></soapenv:Body></soapenv:Envelope>",
        escape(country),
        escape(number)
    )
}

/// The text of the first element whose local name is `name` (any prefix).
fn element(xml: &str, name: &str) -> Option<String> {
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find(|c: char| c == '>' || c == '/' || c.is_whitespace())?;
        let tag = &rest[..end];
        let local = tag.rsplit(':').next().unwrap_or(tag);
        if local == name {
            let open_end = rest.find('>')?;
            if rest[..open_end].ends_with('/') {
                return Some(String::new());
            }
            let body = &rest[open_end + 1..];
            let close = body.find('<')?;
            return Some(unescape(body[..close].trim()));
        }
    }
    None
}

/// Read a VIES response body (any HTTP status).
pub fn read_answer(xml: &str) -> ViesAnswer {
    if let Some(fault) = element(xml, "faultstring") {
        return if fault.trim() == "INVALID_INPUT" {
            ViesAnswer::Invalid
        } else {
            ViesAnswer::Unavailable(super::outbound::excerpt(&fault))
        };
    }
    match element(xml, "valid").as_deref() {
        Some("true") => ViesAnswer::Valid {
            name: element(xml, "name").unwrap_or_default(),
            address: element(xml, "address").unwrap_or_default(),
            request_date: element(xml, "requestDate").unwrap_or_default(),
        },
        Some("false") => ViesAnswer::Invalid,
        _ => ViesAnswer::Unavailable("VIES gave no answer it could be read from".into()),
    }
}

/// Ask VIES at `url` about `country` + `number`, within `timeout`.
pub async fn check(url: &str, timeout: Duration, country: &str, number: &str) -> ViesAnswer {
    let http = match reqwest::Client::builder()
        .user_agent(concat!("till/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(h) => h,
        Err(e) => return ViesAnswer::Unavailable(e.to_string()),
    };
    let sent = http
        .post(url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"")
        .body(request_body(country, number))
        .send()
        .await;
    let res = match sent {
        Ok(res) => res,
        Err(e) if e.is_timeout() => return ViesAnswer::Unavailable("VIES timed out".into()),
        Err(_) => return ViesAnswer::Unavailable("VIES could not be reached".into()),
    };
    let status = res.status();
    match super::outbound::read_limited(res, 64 * 1024).await {
        Ok(body) => {
            let answer = read_answer(&String::from_utf8_lossy(&body));
            match answer {
                ViesAnswer::Unavailable(why) if !status.is_success() => {
                    ViesAnswer::Unavailable(format!("{why} (HTTP {})", status.as_u16()))
                }
                other => other,
            }
        }
        Err(_) => ViesAnswer::Unavailable("VIES's answer was cut off".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_faults_and_garbage_are_told_apart() {
        let valid = "<env:Envelope xmlns:env=\"x\"><env:Body><ns2:checkVatResponse xmlns:ns2=\"y\">\
            <ns2:countryCode>FR</ns2:countryCode><ns2:vatNumber>1</ns2:vatNumber>\
            <ns2:requestDate>2026-01-15+01:00</ns2:requestDate><ns2:valid>true</ns2:valid>\
            <ns2:name>ACME &amp; CO</ns2:name><ns2:address>PARIS</ns2:address>\
            </ns2:checkVatResponse></env:Body></env:Envelope>";
        assert_eq!(
            read_answer(valid),
            ViesAnswer::Valid {
                name: "ACME & CO".into(),
                address: "PARIS".into(),
                request_date: "2026-01-15+01:00".into()
            }
        );
        assert_eq!(
            read_answer(&valid.replace(">true<", ">false<")),
            ViesAnswer::Invalid
        );
        let fault = |code: &str| {
            format!(
                "<s:Envelope><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>{code}</faultstring></s:Fault></s:Body></s:Envelope>"
            )
        };
        assert_eq!(read_answer(&fault("INVALID_INPUT")), ViesAnswer::Invalid);
        assert_eq!(
            read_answer(&fault("MS_UNAVAILABLE")),
            ViesAnswer::Unavailable("MS_UNAVAILABLE".into())
        );
        assert!(matches!(
            read_answer("<html>proxy error</html>"),
            ViesAnswer::Unavailable(_)
        ));
        assert!(request_body("FR", "<x>").contains("&lt;x&gt;"));
    }
}
