//! Envelopes of stored records: AES-GCM-256 under one non-extractable key per database
//! (`{iv, data}`), or plain text (`{text}`). See `docs/storage.md`.

pub use super::envelope::plain;
use super::idb::{Database, META};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, Crypto, CryptoKey, SubtleCrypto};

const AES_GCM: &str = "AES-GCM";
/// The key's key in `meta`.
const KEY: &str = "key";
/// Bytes of a fresh IV (96 bits, as AES-GCM recommends).
const IV_BYTES: u32 = 12;

fn failure(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn crypto() -> Result<Crypto, JsValue> {
    Reflect::get(&js_sys::global(), &"crypto".into())?
        .dyn_into::<Crypto>()
        .map_err(|_| failure("WebCrypto is not available"))
}

/// `crypto.subtle`, which is missing outside secure contexts.
fn subtle(crypto: &Crypto) -> Result<SubtleCrypto, JsValue> {
    let subtle = crypto.subtle();
    if subtle.is_undefined() {
        return Err(failure("WebCrypto is not available (not a secure context)"));
    }
    Ok(subtle)
}

/// Reads the database's key from `meta`, or generates a non-extractable AES-GCM 256-bit key
/// (usages encrypt and decrypt) and stores it; when another tab stored one first, uses theirs.
pub async fn load_or_create_key(db: &Database) -> Result<CryptoKey, JsValue> {
    if let Some(key) = stored_key(db).await? {
        return Ok(key);
    }
    let params = AesKeyGenParams::new(AES_GCM, 256);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let generating = subtle(&crypto()?)?.generate_key_with_object(&params, false, &usages)?;
    // generateKey for AES-GCM always results in a CryptoKey.
    let key: CryptoKey = JsFuture::from(generating).await?.unchecked_into();
    if db.add_if_absent(META, KEY, &key).await? {
        return Ok(key);
    }
    stored_key(db)
        .await?
        .ok_or_else(|| failure("the stored key disappeared"))
}

async fn stored_key(db: &Database) -> Result<Option<CryptoKey>, JsValue> {
    match db.get(META, KEY).await? {
        None => Ok(None),
        Some(value) => value
            .dyn_into::<CryptoKey>()
            .map(Some)
            .map_err(|_| failure("the stored key is not a CryptoKey")),
    }
}

/// Encrypts the UTF-8 of `text` under `key` with a fresh random 12-byte IV: the envelope
/// `{iv: Uint8Array, data: ArrayBuffer}` (the ciphertext with its tag).
pub async fn seal(key: &CryptoKey, text: &str) -> Result<JsValue, JsValue> {
    let crypto = crypto()?;
    let iv = Uint8Array::new_with_length(IV_BYTES);
    crypto.get_random_values_with_js_u8_array(&iv)?;
    let params = AesGcmParams::new(AES_GCM, &iv);
    // WebCrypto copies `data` before returning, so a view of wasm memory is safe here.
    let encrypting =
        subtle(&crypto)?.encrypt_with_object_and_u8_array(&params, key, text.as_bytes())?;
    let data = JsFuture::from(encrypting).await?;
    let envelope = Object::new();
    Reflect::set(&envelope, &"iv".into(), &iv)?;
    Reflect::set(&envelope, &"data".into(), &data)?;
    Ok(envelope.into())
}

/// The text in `envelope`: `{text}` as it is, `{iv, data}` decrypted with `key`. Anything
/// else, a missing key, a failed decryption (wrong key, altered data) or invalid UTF-8 is an
/// error with a short reason.
pub async fn open(key: Option<&CryptoKey>, envelope: &JsValue) -> Result<String, String> {
    if let Some(text) = field(envelope, "text").as_string() {
        return Ok(text);
    }
    let (iv, data) = sealed_parts(envelope).ok_or("not an envelope")?;
    let key = key.ok_or("encrypted, and there is no key")?;
    let params = AesGcmParams::new(AES_GCM, &iv);
    let decrypting = crypto()
        .and_then(|crypto| subtle(&crypto))
        .and_then(|subtle| subtle.decrypt_with_object_and_buffer_source(&params, key, &data))
        .map_err(|_| "WebCrypto is not available")?;
    let decrypted = JsFuture::from(decrypting)
        .await
        .map_err(|_| "it cannot be decrypted with this key")?;
    String::from_utf8(Uint8Array::new(&decrypted).to_vec()).map_err(|_| "not UTF-8".into())
}

/// Whether `envelope` is encrypted (has `iv` and `data`).
pub fn is_sealed(envelope: &JsValue) -> bool {
    sealed_parts(envelope).is_some()
}

fn field(envelope: &JsValue, name: &str) -> JsValue {
    if !envelope.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(envelope, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The IV and the ciphertext (an ArrayBuffer or a view of one) of a sealed envelope.
fn sealed_parts(envelope: &JsValue) -> Option<(Uint8Array, Object)> {
    let iv = field(envelope, "iv").dyn_into::<Uint8Array>().ok()?;
    let data = field(envelope, "data");
    (data.is_instance_of::<ArrayBuffer>() || ArrayBuffer::is_view(&data))
        .then(|| (iv, data.unchecked_into()))
}
