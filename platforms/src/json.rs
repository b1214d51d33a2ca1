//! Reading fields out of an event's JSON by path, with errors that name the path.

use serde_json::Value;

use crate::EventError;

/// A JSON value and where it is, for messages.
#[derive(Clone)]
pub(crate) struct At<'v> {
    pub(crate) value: &'v Value,
    pub(crate) path: String,
}

pub(crate) fn parse(body: &[u8]) -> Result<Value, EventError> {
    serde_json::from_slice(body).map_err(|e| EventError::NotJson(e.to_string()))
}

fn missing(path: String, expected: &str) -> EventError {
    EventError::Field {
        field: path,
        problem: format!("expected {expected}"),
    }
}

impl<'v> At<'v> {
    pub(crate) fn root(value: &'v Value) -> At<'v> {
        At {
            value,
            path: String::new(),
        }
    }

    /// The object at a dotted path below this one.
    pub(crate) fn object(&self, path: &str) -> Result<At<'v>, EventError> {
        match self.get(path) {
            Some(value @ Value::Object(_)) => Ok(At {
                value,
                path: self.join(path),
            }),
            _ => Err(missing(self.join(path), "an object")),
        }
    }

    /// The items of an array below this one, each with its path.
    pub(crate) fn items(&self, path: &str) -> Result<Vec<At<'v>>, EventError> {
        let base = self.join(path);
        Ok(self
            .array(path)?
            .iter()
            .enumerate()
            .map(|(i, value)| At {
                value,
                path: format!("{base}[{i}]"),
            })
            .collect())
    }

    fn join(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value at a dotted path below this one, if present and not null.
    pub(crate) fn get(&self, path: &str) -> Option<&'v Value> {
        path.split('.')
            .try_fold(self.value, |v, key| v.get(key))
            .filter(|v| !v.is_null())
    }

    pub(crate) fn str(&self, path: &str) -> Result<&'v str, EventError> {
        self.opt_str(path)?
            .ok_or_else(|| missing(self.join(path), "a string"))
    }

    pub(crate) fn opt_str(&self, path: &str) -> Result<Option<&'v str>, EventError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(missing(self.join(path), "a string")),
        }
    }

    pub(crate) fn int(&self, path: &str) -> Result<i64, EventError> {
        self.opt_int(path)?
            .ok_or_else(|| missing(self.join(path), "a whole number"))
    }

    pub(crate) fn opt_int(&self, path: &str) -> Result<Option<i64>, EventError> {
        match self.get(path) {
            None => Ok(None),
            // Integers only: an amount in minor units is never a float.
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| missing(self.join(path), "a whole number")),
            Some(_) => Err(missing(self.join(path), "a whole number")),
        }
    }

    pub(crate) fn bool(&self, path: &str) -> Result<bool, EventError> {
        match self.get(path) {
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(missing(self.join(path), "true or false")),
        }
    }

    pub(crate) fn opt_bool(&self, path: &str) -> Result<Option<bool>, EventError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(missing(self.join(path), "true or false")),
        }
    }

    fn array(&self, path: &str) -> Result<&'v [Value], EventError> {
        match self.get(path) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(missing(self.join(path), "an array")),
        }
    }
}
