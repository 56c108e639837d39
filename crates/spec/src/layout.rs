//! Where each part of a [`Spec`] lives on disk, and loading a spec directory back.
//!
//! ```text
//! spec/source.yaml                       the upstream snapshot
//! spec/errors.yaml                       the system error catalogue
//! spec/methods/<group>/<method>.yaml     a REST v2 method
//! spec/methods/<group>/<method>.v3.yaml  a REST 3.0 method (six names exist in both versions)
//! spec/entities/<group>/<entity>.yaml     an entity's field table
//! spec/placements.yaml                   widget placements (when the docs have any)
//! spec/events/<group>/<EVENT>.yaml       an event (name as sent, upper case)
//! ```
//!
//! Rendering is pure (path → text); writing and staleness checks belong to the caller.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::codec::{self, CodecError};
use crate::{ApiVersion, Entity, Event, Method, Placement, Snapshot, Spec, SystemError};

/// The file holding the snapshot description.
pub const SOURCE_FILE: &str = "source.yaml";
/// The file holding the system error catalogue.
pub const ERRORS_FILE: &str = "errors.yaml";
/// The folder holding one file per method.
pub const METHODS_DIR: &str = "methods";
/// The file holding the widget placements.
pub const PLACEMENTS_FILE: &str = "placements.yaml";
/// The folder holding one file per entity field table.
pub const ENTITIES_DIR: &str = "entities";
/// The folder holding one file per event.
pub const EVENTS_DIR: &str = "events";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacementsFile {
    placements: Vec<Placement>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorsFile {
    system_errors: Vec<SystemError>,
}

/// A failure to load a spec directory; always names the file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// A file is not valid spec YAML.
    #[error(transparent)]
    Codec(#[from] CodecError),
    /// A method file is not where its contents say it belongs.
    #[error("{path}: method {method} ({api}) belongs in {expected}")]
    Misplaced {
        /// The file.
        path: PathBuf,
        /// The method's wire name.
        method: String,
        /// Its API version.
        api: ApiVersion,
        /// Where it should be.
        expected: PathBuf,
    },
    /// An entity file is not where its contents say it belongs.
    #[error("{path}: entity {id} belongs in {expected}")]
    MisplacedEntity {
        /// The file.
        path: PathBuf,
        /// The entity id.
        id: String,
        /// Where it should be.
        expected: PathBuf,
    },
    /// An event file is not where its contents say it belongs.
    #[error("{path}: event {event} belongs in {expected}")]
    MisplacedEvent {
        /// The file.
        path: PathBuf,
        /// The event name.
        event: String,
        /// Where it should be.
        expected: PathBuf,
    },
}

/// The path of an event's file, relative to the spec root.
pub fn event_path(event: &Event) -> PathBuf {
    Path::new(EVENTS_DIR)
        .join(&event.group)
        .join(format!("{}.yaml", event.event))
}

/// The path of an entity's file, relative to the spec root.
pub fn entity_path(entity: &Entity) -> PathBuf {
    Path::new(ENTITIES_DIR)
        .join(&entity.group)
        .join(format!("{}.yaml", entity.id))
}

/// The path of a method's file, relative to the spec root.
pub fn method_path(method: &Method) -> PathBuf {
    let suffix = match method.api {
        ApiVersion::V2 => "",
        ApiVersion::V3 => ".v3",
    };
    Path::new(METHODS_DIR)
        .join(&method.group)
        .join(format!("{}{suffix}.yaml", method.method))
}

/// Renders every file of the spec: relative path → contents.
pub fn render(spec: &Spec) -> Result<BTreeMap<PathBuf, String>, CodecError> {
    let mut files = BTreeMap::new();
    files.insert(PathBuf::from(SOURCE_FILE), codec::to_yaml(&spec.snapshot)?);
    let errors = ErrorsFile {
        system_errors: spec.system_errors.clone(),
    };
    files.insert(PathBuf::from(ERRORS_FILE), codec::to_yaml(&errors)?);
    for method in &spec.methods {
        files.insert(method_path(method), codec::to_yaml(method)?);
    }
    for entity in &spec.entities {
        files.insert(entity_path(entity), codec::to_yaml(entity)?);
    }
    for event in &spec.events {
        files.insert(event_path(event), codec::to_yaml(event)?);
    }
    if !spec.placements.is_empty() {
        let placements = PlacementsFile {
            placements: spec.placements.clone(),
        };
        files.insert(PathBuf::from(PLACEMENTS_FILE), codec::to_yaml(&placements)?);
    }
    Ok(files)
}

/// Loads a spec directory written by [`render`].
pub fn load(root: &Path) -> Result<Spec, LoadError> {
    let snapshot: Snapshot = read_yaml(&root.join(SOURCE_FILE))?;
    let errors: ErrorsFile = read_yaml(&root.join(ERRORS_FILE))?;
    let mut methods = Vec::new();
    for path in yaml_files(&root.join(METHODS_DIR))? {
        methods.push(read_method(root, &path)?);
    }
    let mut spec = Spec {
        snapshot,
        system_errors: errors.system_errors,
        methods,
        entities: load_entities(root)?,
        placements: load_placements(root)?,
        events: load_events(root)?,
    };
    spec.sort();
    Ok(spec)
}

/// The spec in `root` when it differs from `base` only in the `changed` files (paths relative
/// to `root`): files whose contents differ from what [`render`] writes for `base`, files it
/// does not write, and files it writes that are missing. Every other file holds exactly what
/// `render(base)` writes, which loads back as that part of `base`, so only the changed files
/// are read: the same spec as [`load`] for a few files read instead of all of them.
pub fn load_changed(root: &Path, base: &Spec, changed: &[PathBuf]) -> Result<Spec, LoadError> {
    let mut spec = base.clone();
    for path in changed {
        let full = root.join(path);
        let exists = full.is_file();
        let top = path.components().next().map(|c| c.as_os_str());
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        if path == Path::new(SOURCE_FILE) {
            spec.snapshot = read_yaml(&full)?;
        } else if path == Path::new(ERRORS_FILE) {
            spec.system_errors = read_yaml::<ErrorsFile>(&full)?.system_errors;
        } else if path == Path::new(PLACEMENTS_FILE) {
            spec.placements = load_placements(root)?;
        } else if top == Some(METHODS_DIR.as_ref()) {
            spec.methods.retain(|m| method_path(m) != *path);
            if exists {
                spec.methods.push(read_method(root, &full)?);
            }
        } else if top == Some(ENTITIES_DIR.as_ref()) {
            spec.entities.retain(|e| entity_path(e) != *path);
            if exists {
                spec.entities.push(read_entity(root, &full)?);
            }
        } else if top == Some(EVENTS_DIR.as_ref()) {
            spec.events.retain(|e| event_path(e) != *path);
            if exists {
                spec.events.push(read_event(root, &full)?);
            }
        }
    }
    spec.sort();
    Ok(spec)
}

/// Placements are optional on disk: docs without placement pages write no file.
fn load_placements(root: &Path) -> Result<Vec<Placement>, LoadError> {
    let path = root.join(PLACEMENTS_FILE);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let file: PlacementsFile = read_yaml(&path)?;
    Ok(file.placements)
}

/// Entities are optional on disk: a spec written before they existed has no folder.
fn load_entities(root: &Path) -> Result<Vec<Entity>, LoadError> {
    let dir = root.join(ENTITIES_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut entities = Vec::new();
    for path in yaml_files(&dir)? {
        entities.push(read_entity(root, &path)?);
    }
    Ok(entities)
}

/// Events are optional on disk: a spec written before they existed has no folder.
fn load_events(root: &Path) -> Result<Vec<Event>, LoadError> {
    let dir = root.join(EVENTS_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    for path in yaml_files(&dir)? {
        events.push(read_event(root, &path)?);
    }
    Ok(events)
}

/// A method file (`path` under `root`), which must be where its contents say it belongs.
fn read_method(root: &Path, path: &Path) -> Result<Method, LoadError> {
    let method: Method = read_yaml(path)?;
    let expected = method_path(&method);
    if path.strip_prefix(root).ok() != Some(expected.as_path()) {
        return Err(LoadError::Misplaced {
            path: path.to_owned(),
            method: method.method,
            api: method.api,
            expected,
        });
    }
    Ok(method)
}

/// An entity file (`path` under `root`), which must be where its contents say it belongs.
fn read_entity(root: &Path, path: &Path) -> Result<Entity, LoadError> {
    let entity: Entity = read_yaml(path)?;
    let expected = entity_path(&entity);
    if path.strip_prefix(root).ok() != Some(expected.as_path()) {
        return Err(LoadError::MisplacedEntity {
            path: path.to_owned(),
            id: entity.id,
            expected,
        });
    }
    Ok(entity)
}

/// An event file (`path` under `root`), which must be where its contents say it belongs.
fn read_event(root: &Path, path: &Path) -> Result<Event, LoadError> {
    let event: Event = read_yaml(path)?;
    let expected = event_path(&event);
    if path.strip_prefix(root).ok() != Some(expected.as_path()) {
        return Err(LoadError::MisplacedEvent {
            path: path.to_owned(),
            event: event.event,
            expected,
        });
    }
    Ok(event)
}

fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(codec::from_yaml(&text, &path.display().to_string())?)
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|source| LoadError::Io {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| LoadError::Io {
                    path: dir.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
