//! PayPal: its activity download ([`export`]). Its webhooks are not read yet.

pub mod export;
