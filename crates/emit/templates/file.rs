//! The `file` type of the docs: a file already in Bitrix24 (its id), or one to upload.

use serde::{Deserialize, Serialize};

/// A file parameter or field. Bitrix24 accepts an existing file's id, or a new file as a
/// `[name, base64 content]` pair; anything else the portal sends is kept as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum File {
    /// An existing file, by id.
    Id(i64),
    /// A file to upload: its name and its content, base64-encoded.
    Upload(String, String),
    /// Any other shape (file descriptions in responses, for example).
    Other(serde_json::Value),
}

impl File {
    /// A file to upload from its name and base64-encoded content.
    pub fn upload(name: impl Into<String>, base64_content: impl Into<String>) -> Self {
        File::Upload(name.into(), base64_content.into())
    }
}

impl crate::wire::FromWire for File {}
