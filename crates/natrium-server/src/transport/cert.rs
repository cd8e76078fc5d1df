//! The identity a verified client certificate carries, for `verify_and_map`: its e-mail
//! addresses, DNS names and URIs, and its subject, both as nats-server prints it and as a
//! distinguished name to compare with user names written as DNs.

use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::x509::X509Name;

/// One attribute of a distinguished name: its type (short name such as `CN`, or a
/// dotted OID) and its value.
type Attribute = (String, String);

/// What a client certificate says about who it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertIdentity {
    emails: Vec<String>,
    dns_names: Vec<String>,
    uris: Vec<String>,
    /// The subject in nats-server's string form (Go's `pkix.Name` RDN sequence).
    subject: String,
    /// Every RDN of the subject, most specific first (RFC 2253 order).
    dn: Vec<Vec<Attribute>>,
}

/// Short names Go's `pkix` prints, by OID, in the order its `Name` re-encodes them.
const GO_NAME_FIELDS: &[(&str, &str)] = &[
    ("2.5.4.6", "C"),
    ("2.5.4.8", "ST"),
    ("2.5.4.7", "L"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.17", "POSTALCODE"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.3", "CN"),
    ("2.5.4.5", "SERIALNUMBER"),
];

/// More short names a DN written in a configuration may use.
const DN_EXTRA_NAMES: &[(&str, &str)] = &[
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
];

fn short_name(oid: &str) -> Option<&'static str> {
    GO_NAME_FIELDS
        .iter()
        .chain(DN_EXTRA_NAMES)
        .find(|(o, _)| *o == oid)
        .map(|(_, name)| *name)
}

impl CertIdentity {
    /// Reads a DER certificate; `None` if it does not parse.
    pub fn from_der(der: &[u8]) -> Option<Self> {
        let (_, cert) = X509Certificate::from_der(der).ok()?;
        let mut id = Self::default();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::RFC822Name(s) => id.emails.push((*s).to_owned()),
                    GeneralName::DNSName(s) => id.dns_names.push((*s).to_owned()),
                    GeneralName::URI(s) => id.uris.push((*s).to_owned()),
                    _ => {}
                }
            }
        }
        id.read_subject(cert.subject());
        Some(id)
    }

    fn read_subject(&mut self, name: &X509Name<'_>) {
        let mut rdns: Vec<Vec<(String, String)>> = Vec::new();
        for rdn in name.iter() {
            let attrs =
                rdn.iter()
                    .map(|atv| {
                        let oid = atv.attr_type().to_id_string();
                        let value = atv.as_str().map(str::to_owned).unwrap_or_else(|_| {
                            String::from_utf8_lossy(atv.as_slice()).into_owned()
                        });
                        (oid, value)
                    })
                    .collect();
            rdns.push(attrs);
        }
        // Go rebuilds the subject from the fields it knows, one RDN per field (several
        // values of one field joined with '+'), and prints them last field first.
        let mut parts = Vec::new();
        for (oid, short) in GO_NAME_FIELDS.iter().rev() {
            let values: Vec<String> = rdns
                .iter()
                .flatten()
                .filter(|(o, _)| o == oid)
                .map(|(_, v)| format!("{short}={}", escape(v)))
                .collect();
            if !values.is_empty() {
                parts.push(values.join("+"));
            }
        }
        self.subject = parts.join(",");
        self.dn = rdns
            .into_iter()
            .rev()
            .map(|rdn| {
                rdn.into_iter()
                    .map(|(oid, v)| {
                        let t = short_name(&oid).map_or(oid, str::to_owned);
                        (t, v)
                    })
                    .collect()
            })
            .collect();
    }

    /// E-mail addresses, then DNS names, then URIs from the subject alternative names:
    /// the names nats-server tries as user names first.
    pub fn alt_names(&self) -> impl Iterator<Item = &str> {
        self.emails
            .iter()
            .chain(&self.dns_names)
            .chain(&self.uris)
            .map(String::as_str)
    }

    /// The subject as nats-server prints it, e.g. `CN=alice,OU=eng,O=Acme,C=US`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// Whether `name`, read as a distinguished name (`CN=alice,DC=example,DC=com`), is
    /// the certificate's subject: the same RDNs in the same order, attribute types
    /// compared without case, values exactly.
    pub fn subject_equals(&self, name: &str) -> bool {
        let Some(parsed) = parse_dn(name) else {
            return false;
        };
        parsed.len() == self.dn.len()
            && parsed.iter().zip(&self.dn).all(|(a, b)| {
                a.len() == b.len()
                    && a.iter().all(|(t, v)| {
                        b.iter()
                            .any(|(bt, bv)| bt.eq_ignore_ascii_case(t) && bv == v)
                    })
            })
    }
}

/// Whether `identity` is a user that only a client certificate may select: with
/// `verify_and_map` on the client listener, a user configured without a password (other
/// than the `no_auth_user`) is a certificate identity, and an empty password sent over
/// another listener must not log in as it (as in nats-server).
pub(crate) fn certificate_only(
    opts: &crate::options::Options,
    identity: &crate::auth::Identity,
) -> bool {
    let mapping = opts.tls.as_ref().is_some_and(|t| t.verify_and_map);
    let Some(name) = identity.user.as_deref().filter(|_| mapping) else {
        return false;
    };
    if opts.auth.no_auth_user.as_deref() == Some(name) {
        return false;
    }
    opts.auth
        .user
        .iter()
        .chain(&opts.auth.users)
        .filter(|u| u.username == name)
        .any(|u| {
            u.password.is_empty()
                && (u.allowed_connection_types.is_empty()
                    || u.allowed_connection_types
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case("STANDARD")))
        })
}

/// RFC 2253 escaping as Go applies it to attribute values.
fn escape(value: &str) -> String {
    let count = value.chars().count();
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        let needs = match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => true,
            ' ' => i == 0 || i + 1 == count,
            '#' => i == 0,
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Parses an RFC 2253 string into RDNs of (type, value); `None` if it is not a DN.
fn parse_dn(text: &str) -> Option<Vec<Vec<Attribute>>> {
    let mut rdns = Vec::new();
    let mut rdn = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut attr_type = String::new();
        for c in chars.by_ref() {
            if c == '=' {
                break;
            }
            attr_type.push(c);
        }
        let attr_type = attr_type.trim().to_owned();
        if attr_type.is_empty() {
            return None;
        }
        let mut value = String::new();
        let mut raw = Vec::new();
        let mut end = None;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let next = chars.next()?;
                    match (next.to_digit(16), chars.peek().and_then(|p| p.to_digit(16))) {
                        (Some(hi), Some(lo)) => {
                            chars.next();
                            raw.push(u8::try_from(hi * 16 + lo).ok()?);
                        }
                        _ => {
                            flush_raw(&mut raw, &mut value)?;
                            value.push(next);
                        }
                    }
                }
                ',' | ';' | '+' => {
                    end = Some(c);
                    break;
                }
                _ => {
                    flush_raw(&mut raw, &mut value)?;
                    value.push(c);
                }
            }
        }
        flush_raw(&mut raw, &mut value)?;
        rdn.push((attr_type, value.trim().to_owned()));
        match end {
            Some('+') => {}
            Some(_) => rdns.push(std::mem::take(&mut rdn)),
            None => {
                rdns.push(rdn);
                return Some(rdns);
            }
        }
    }
}

/// Appends hex-escaped bytes collected so far as UTF-8 text.
fn flush_raw(raw: &mut Vec<u8>, value: &mut String) -> Option<()> {
    if !raw.is_empty() {
        value.push_str(std::str::from_utf8(raw).ok()?);
        raw.clear();
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(dn: &[(rcgen::DnType, &str)], sans: Vec<rcgen::SanType>) -> CertIdentity {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        for (t, v) in dn {
            params.distinguished_name.push(t.clone(), *v);
        }
        params.subject_alt_names = sans;
        let c = params.self_signed(&key).unwrap();
        CertIdentity::from_der(c.der()).unwrap()
    }

    #[test]
    fn subject_prints_like_go_and_compares_as_a_dn() {
        let id = cert(
            &[
                (rcgen::DnType::CountryName, "US"),
                (rcgen::DnType::OrganizationName, "Acme, Inc"),
                (rcgen::DnType::OrganizationalUnitName, "eng"),
                (rcgen::DnType::CommonName, "alice"),
            ],
            vec![
                rcgen::SanType::Rfc822Name("alice@example.com".try_into().unwrap()),
                rcgen::SanType::DnsName("alice.example.com".try_into().unwrap()),
            ],
        );
        assert_eq!(id.subject(), r"CN=alice,OU=eng,O=Acme\, Inc,C=US");
        assert_eq!(
            id.alt_names().collect::<Vec<_>>(),
            ["alice@example.com", "alice.example.com"]
        );
        assert!(id.subject_equals(r"cn=alice, ou=eng, o=Acme\, Inc, c=US"));
        assert!(id.subject_equals(r"CN=alice,OU=eng,O=Acme\2c Inc,C=US"));
        assert!(!id.subject_equals("CN=alice,OU=eng,C=US"));
        assert!(!id.subject_equals("CN=mallory,OU=eng,O=Acme\\, Inc,C=US"));
        assert!(!id.subject_equals("not a dn"));
    }

    #[test]
    fn domain_components_take_part_in_the_dn_but_not_in_go_subject() {
        // rcgen keeps one value per attribute type, so one DC here.
        let dc = rcgen::DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]);
        let id = cert(
            &[(dc, "example"), (rcgen::DnType::CommonName, "svc")],
            Vec::new(),
        );
        assert_eq!(id.subject(), "CN=svc");
        assert!(id.subject_equals("CN=svc,DC=example"));
        assert!(!id.subject_equals("CN=svc"));
    }
}
