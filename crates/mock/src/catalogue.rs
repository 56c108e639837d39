//! The methods the portal serves, loaded once per spec directory from `spec/` and indexed by
//! wire name and API version.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use b24_spec::{layout, ApiVersion, Method, SystemError};

use crate::error::MockError;

/// Every method of the spec, by `(name, api)`; names are matched case-insensitively, as the
/// portal does.
#[derive(Debug)]
pub struct Catalogue {
    methods: HashMap<(String, ApiVersion), Method>,
    system_errors: Vec<SystemError>,
}

impl Catalogue {
    /// Load `spec_dir`, or reuse the copy this process already loaded.
    pub fn load(spec_dir: &Path) -> Result<Arc<Self>, MockError> {
        static LOADED: OnceLock<Mutex<HashMap<PathBuf, Arc<Catalogue>>>> = OnceLock::new();
        let cache = LOADED.get_or_init(Mutex::default);
        let key = spec_dir
            .canonicalize()
            .unwrap_or_else(|_| spec_dir.to_owned());
        // Held while loading: portals started in parallel wait for one load instead of racing.
        let mut cache = lock(cache);
        if let Some(found) = cache.get(&key) {
            return Ok(found.clone());
        }
        let spec = layout::load(&key).map_err(|source| MockError::Spec {
            dir: key.clone(),
            message: source.to_string(),
        })?;
        let catalogue = Arc::new(Self {
            methods: spec
                .methods
                .into_iter()
                .map(|m| ((m.method.to_ascii_lowercase(), m.api), m))
                .collect(),
            system_errors: spec.system_errors,
        });
        cache.insert(key, catalogue.clone());
        Ok(catalogue)
    }

    /// A method by wire name.
    pub fn method(&self, name: &str, api: ApiVersion) -> Option<&Method> {
        self.methods.get(&(name.to_ascii_lowercase(), api))
    }

    /// How many methods are served.
    pub fn len(&self) -> usize {
        self.methods.len()
    }

    /// `true` for an empty spec.
    pub fn is_empty(&self) -> bool {
        self.methods.is_empty()
    }

    /// Every method served.
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.methods.values()
    }

    /// The documented message of a system error code, so refusals read like the portal's.
    pub fn system_message(&self, code: &str) -> Option<&str> {
        self.system_errors
            .iter()
            .find(|e| e.code == code)
            .map(|e| e.message.as_str())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
