//! Receiving WhatsApp webhooks: signatures and payloads.

pub mod event;
pub mod verify;
