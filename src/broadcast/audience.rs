//! Who a broadcast goes to, and the members that selects.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::json;

use super::*;

/// Who a broadcast goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Active members, narrowed by role and location (empty = everyone).
    Members {
        roles: Vec<String>,
        locations: Vec<String>,
    },
    /// One number, member or not, for a test send.
    Test { phone: E164 },
}

impl Audience {
    /// A canonical form, so the same audience written differently compares equal.
    pub(super) fn key(&self) -> String {
        match self {
            Audience::Members { roles, locations } => {
                let norm = |v: &[String]| {
                    let mut v: Vec<String> = v.iter().map(|s| s.trim().to_lowercase()).collect();
                    v.sort();
                    v.dedup();
                    v
                };
                json!({ "members": { "roles": norm(roles), "locations": norm(locations) } })
                    .to_string()
            }
            Audience::Test { phone } => json!({ "test": phone }).to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub member_id: Option<MemberId>,
    pub phone: E164,
}

/// The recipients of an audience, and who matched but is excluded, by status.
#[derive(Debug, Default, Serialize)]
pub struct Selection {
    #[serde(skip)]
    pub recipients: Vec<Recipient>,
    pub excluded: BTreeMap<MemberStatus, usize>,
}

pub fn select(conn: &Connection, audience: &Audience) -> Result<Selection> {
    match audience {
        Audience::Test { phone } => Ok(Selection {
            recipients: vec![Recipient {
                member_id: members::by_phone(conn, phone)?.map(|m| m.id),
                phone: phone.clone(),
            }],
            excluded: BTreeMap::new(),
        }),
        Audience::Members { roles, locations } => {
            let filter = members::Filter {
                roles: roles.clone(),
                locations: locations.clone(),
                ..members::Filter::default()
            };
            let mut selection = Selection::default();
            for m in members::list(conn, &filter)? {
                if m.status == MemberStatus::Active {
                    selection.recipients.push(Recipient {
                        member_id: Some(m.id),
                        phone: m.phone,
                    });
                } else {
                    *selection.excluded.entry(m.status).or_default() += 1;
                }
            }
            Ok(selection)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Stored {
            Members {
                roles: Vec<String>,
                locations: Vec<String>,
            },
            Test {
                phone: String,
            },
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Members { roles, locations } => Audience::Members { roles, locations },
            Stored::Test { phone } => Audience::Test {
                phone: E164::from_stored(phone),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_keys_ignore_case_order_and_repeats() {
        let a = Audience::Members {
            roles: vec!["Pharmacist".into(), "GP".into()],
            locations: vec![],
        };
        let b = Audience::Members {
            roles: vec!["gp".into(), "pharmacist ".into(), "GP".into()],
            locations: vec![],
        };
        assert_eq!(a.key(), b.key());
        let stored = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Audience>(&stored).unwrap(), a);
    }
}
