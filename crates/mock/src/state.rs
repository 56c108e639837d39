//! The portal's data: one collection of records per core entity (CRM deals, contacts,
//! companies, leads and smart-process items per `entityTypeId`; tasks; users), each keyed by
//! its numeric ID so `>ID` scans are range reads.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{json, Map, Value};

/// A core entity with real state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// `crm.deal.*`
    Deal,
    /// `crm.contact.*`
    Contact,
    /// `crm.company.*`
    Company,
    /// `crm.lead.*`
    Lead,
    /// `crm.item.*` (any `entityTypeId`; seeding creates deals' type, 2)
    Item,
    /// `tasks.task.*`
    Task,
    /// `user.*`
    User,
}

impl Entity {
    /// The ID member of a record as the API spells it.
    pub fn id_field(self) -> &'static str {
        match self {
            Entity::Item | Entity::Task => "id",
            _ => "ID",
        }
    }

    /// Whether records carry their ID as a number (`crm.item`) or a string (the rest).
    fn numeric_id(self) -> bool {
        self == Entity::Item
    }

    /// The ID value as this entity writes it.
    pub fn id_value(self, id: u64) -> Value {
        if self.numeric_id() {
            json!(id)
        } else {
            json!(id.to_string())
        }
    }

    /// A plausible record for seeding, created at `created` (RFC 3339).
    fn seed_record(self, id: u64, type_id: i64, created: &str) -> Map<String, Value> {
        let mut record = match self {
            Entity::Deal => {
                json!({"TITLE": format!("Deal {id}"), "STAGE_ID": "NEW", "OPPORTUNITY": "100.00"})
            }
            Entity::Contact => json!({"NAME": format!("Contact {id}"), "LAST_NAME": "Mock"}),
            Entity::Company => json!({"TITLE": format!("Company {id}")}),
            Entity::Lead => json!({"TITLE": format!("Lead {id}"), "STATUS_ID": "NEW"}),
            Entity::Item => json!({"title": format!("Item {id}"), "entityTypeId": type_id}),
            Entity::Task => json!({"title": format!("Task {id}"), "status": "2"}),
            Entity::User => {
                json!({"NAME": format!("User {id}"), "ACTIVE": true, "EMAIL": format!("user{id}@example.test")})
            }
        };
        let mut map = record
            .as_object_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(member) = self.created_field() {
            // A portal's records always carry their creation time, and lists are filtered
            // on it ("every deal created since..."): seeded ones were created at seeding.
            map.insert(member.to_owned(), json!(created));
        }
        self.with_id(map, id)
    }

    /// The member holding a record's creation time, as the API spells it.
    fn created_field(self) -> Option<&'static str> {
        match self {
            Entity::Deal | Entity::Contact | Entity::Company | Entity::Lead => Some("DATE_CREATE"),
            Entity::Item => Some("createdTime"),
            Entity::Task => Some("createdDate"),
            Entity::User => None,
        }
    }

    /// `record` with its ID member set.
    pub fn with_id(self, mut record: Map<String, Value>, id: u64) -> Map<String, Value> {
        record.insert(self.id_field().to_owned(), self.id_value(id));
        record
    }
}

/// The records of one entity (and one `entityTypeId` for items).
#[derive(Debug, Default)]
pub struct Collection {
    /// Records by ID, ascending. Add and remove records through [`Collection::add`] and
    /// [`Collection::remove`] so the ID index stays current.
    pub records: BTreeMap<u64, Map<String, Value>>,
    last_id: u64,
    /// Every ID in order, rebuilt after a change: offset pages (`start = 25000`) and counts
    /// (`total`) become slices instead of walks over the whole map.
    ids: OnceLock<Vec<u64>>,
}

impl Collection {
    /// Store a new record and return its ID.
    pub fn add(&mut self, entity: Entity, fields: Map<String, Value>) -> u64 {
        self.last_id += 1;
        let id = self.last_id;
        self.records.insert(id, entity.with_id(fields, id));
        self.ids = OnceLock::new();
        id
    }

    /// Remove a record; `true` when it existed.
    pub fn remove(&mut self, id: u64) -> bool {
        self.ids = OnceLock::new();
        self.records.remove(&id).is_some()
    }

    /// Every ID, ascending.
    pub fn ids(&self) -> &[u64] {
        self.ids
            .get_or_init(|| self.records.keys().copied().collect())
    }
}

/// Every collection of the portal.
#[derive(Debug, Default)]
pub struct Store {
    collections: HashMap<(Entity, i64), Collection>,
}

/// `entityTypeId` of deals, used when seeding items.
pub const DEAL_TYPE_ID: i64 = 2;

impl Store {
    /// A store with user 1 (the webhook's and the OAuth app's user) and `seed` records.
    pub fn seeded(seed: &[(Entity, u64)]) -> Self {
        let mut store = Self::default();
        store.seed(Entity::User, 1);
        for (entity, count) in seed {
            let count = if *entity == Entity::User {
                count.saturating_sub(1)
            } else {
                *count
            };
            store.seed(*entity, count);
        }
        store
    }

    fn seed(&mut self, entity: Entity, count: u64) {
        let type_id = if entity == Entity::Item {
            DEAL_TYPE_ID
        } else {
            0
        };
        let created = crate::reply::rfc3339(crate::reply::unix_now());
        let collection = self.collection(entity, type_id);
        for _ in 0..count {
            let id = collection.last_id + 1;
            let record = entity.seed_record(id, type_id, &created);
            collection.add(entity, record);
        }
    }

    /// The collection of `entity` (of `type_id` for items; 0 otherwise).
    pub fn collection(&mut self, entity: Entity, type_id: i64) -> &mut Collection {
        self.collections.entry((entity, type_id)).or_default()
    }

    /// How many records `entity` has (all types for items).
    pub fn count(&self, entity: Entity) -> usize {
        self.collections
            .iter()
            .filter(|((e, _), _)| *e == entity)
            .map(|(_, c)| c.records.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_numbers_records_from_one_and_always_has_user_one() {
        let mut store = Store::seeded(&[(Entity::Deal, 3), (Entity::Item, 2)]);
        assert_eq!(store.count(Entity::User), 1);
        let deals = store.collection(Entity::Deal, 0);
        assert_eq!(
            deals.records.keys().copied().collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(deals.records[&2]["ID"], "2");
        let items = store.collection(Entity::Item, DEAL_TYPE_ID);
        assert_eq!(items.records[&1]["id"], 1);
        assert_eq!(items.add(Entity::Item, Map::new()), 3);
    }

    #[test]
    fn seeded_records_carry_their_creation_time() {
        let mut store = Store::seeded(&[(Entity::Deal, 1), (Entity::Item, 1), (Entity::Task, 1)]);
        let created = |store: &mut Store, entity, type_id, member: &str| {
            store.collection(entity, type_id).records[&1][member]
                .as_str()
                .map(str::to_owned)
        };
        let now = crate::reply::rfc3339(crate::reply::unix_now());
        for (entity, type_id, member) in [
            (Entity::Deal, 0, "DATE_CREATE"),
            (Entity::Item, DEAL_TYPE_ID, "createdTime"),
            (Entity::Task, 0, "createdDate"),
        ] {
            let time = created(&mut store, entity, type_id, member).expect(member);
            // RFC 3339 in UTC, not after now: comparable as text with any filter value.
            assert!(time.len() == 25 && time.ends_with("+00:00"), "{time}");
            assert!(time.as_str() <= now.as_str(), "{time} > {now}");
        }
    }
}
