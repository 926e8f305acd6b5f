//! Uploaded images: checked, measured, turned upright, resized into the widths `srcset` offers,
//! written under `<data dir>/media/<key>/`, and served with a year-long cache lifetime. The key
//! is a hash of the uploaded bytes, so what a URL shows never changes and the same photo
//! uploaded twice is stored once.

use std::{io::Cursor, path::Path};

use axum::{
    Router,
    http::{HeaderValue, Response, header},
};
use chrono::Utc;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, imageops::FilterType};
use tower_http::services::ServeDir;
use warta_core::{FieldError, secret};
use warta_store::images::{self, Image};

use crate::AppState;

/// Largest upload accepted. Phone photos are 2-8 MB; anything bigger is a mistake or an attack.
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// Largest picture accepted, in pixels per side; beyond this decoding alone costs too much.
const MAX_SIDE: u32 = 12_000;
/// The widths offered to `srcset`: phone, large phone, tablet, desktop (the column is ~42rem).
pub const WIDTHS: [u32; 4] = [320, 640, 960, 1280];
/// JPEG quality of the variants: visually clean for photos at a fraction of the bytes.
const QUALITY: u8 = 80;

/// Why an upload was refused, in words for the person who sent it.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is {size} bytes; at most {max} bytes (12 MB) are accepted", size = .0, max = MAX_UPLOAD_BYTES)]
    TooLarge(usize),
    #[error("the file is empty")]
    Empty,
    #[error("expected a JPEG, PNG or WebP image")]
    UnsupportedType,
    #[error("the picture is {0}x{1} pixels; at most {MAX_SIDE} pixels per side are accepted")]
    TooManyPixels(u32, u32),
    #[error("the image could not be read: {0}")]
    Undecodable(String),
    #[error("the image could not be stored: {0}")]
    Storage(String),
}

impl UploadError {
    /// The refusal as the error of the form field that carried the file.
    pub fn for_field(&self, field: &'static str) -> FieldError {
        let id = match self {
            UploadError::TooLarge(size) => format!(
                "berkasnya {}; paling besar {}",
                size_text(*size),
                size_text(MAX_UPLOAD_BYTES)
            ),
            UploadError::Empty => "berkasnya kosong".to_owned(),
            UploadError::UnsupportedType => {
                "berkas harus berupa foto JPEG, PNG atau WebP".to_owned()
            }
            UploadError::TooManyPixels(width, height) => {
                format!("fotonya {width}×{height} piksel; tiap sisi paling besar {MAX_SIDE} piksel")
            }
            // The decoder's words would not help the writer; the disk's are the operator's.
            UploadError::Undecodable(_) => {
                "foto tidak dapat dibaca; mungkin berkasnya rusak".to_owned()
            }
            UploadError::Storage(why) => {
                tracing::error!(why, "storing an uploaded image failed");
                "foto tidak dapat disimpan; coba lagi sebentar lagi".to_owned()
            }
        };
        FieldError::new(field, id, self.to_string())
    }
}

/// A file's size as an Indonesian reader writes it: "40 KB", "3,2 MB", "12 MB".
pub fn size_text(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(1024))
    } else if bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64).replace('.', ",")
    }
}

/// One resized file, ready to write.
struct Variant {
    width: u32,
    bytes: Vec<u8>,
}

/// An upload after checking and resizing, before anything is written.
struct Processed {
    key: String,
    format: ImageFormat,
    width: u32,
    height: u32,
    variants: Vec<Variant>,
}

impl Processed {
    fn content_type(&self) -> &'static str {
        if self.format == ImageFormat::Png {
            "image/png"
        } else {
            "image/jpeg"
        }
    }
}

/// Checks, decodes, orients and resizes an upload. CPU-bound: call it off the async threads.
fn process(bytes: &[u8]) -> Result<Processed, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadError::TooLarge(bytes.len()));
    }
    let format = image::guess_format(bytes).map_err(|_| UploadError::UnsupportedType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadError::UnsupportedType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| UploadError::Undecodable(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(UploadError::TooManyPixels(width, height));
    }
    let orientation = decoder
        .orientation()
        .map_err(|e| UploadError::Undecodable(e.to_string()))?;
    let mut picture =
        DynamicImage::from_decoder(decoder).map_err(|e| UploadError::Undecodable(e.to_string()))?;
    picture.apply_orientation(orientation);
    // Pictures with transparency stay PNG; everything else becomes JPEG, which photos need.
    let keep_png = picture.color().has_alpha() && format != ImageFormat::Jpeg;
    let variant_format = if keep_png {
        ImageFormat::Png
    } else {
        ImageFormat::Jpeg
    };
    let (width, height) = (picture.width(), picture.height());
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    widths.push(width.min(WIDTHS[WIDTHS.len() - 1]));
    widths.dedup();
    // Largest first, each made from the one before: much cheaper than always from the original.
    let mut variants = Vec::with_capacity(widths.len());
    let mut source = picture;
    for &w in widths.iter().rev() {
        let h = scaled_height(width, height, w);
        if source.width() != w {
            source = source.resize_exact(w, h, FilterType::CatmullRom);
        }
        variants.push(Variant {
            width: w,
            bytes: encode(&source, variant_format)?,
        });
    }
    variants.reverse();
    Ok(Processed {
        key: secret::content_hash(bytes)[..24].to_owned(),
        format: variant_format,
        width,
        height,
        variants,
    })
}

/// `height` scaled to `to_width`, at least one pixel.
fn scaled_height(width: u32, height: u32, to_width: u32) -> u32 {
    let scaled = u64::from(height) * u64::from(to_width) / u64::from(width.max(1));
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

fn encode(picture: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, UploadError> {
    let mut out = Vec::new();
    let result = if format == ImageFormat::Png {
        picture.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY);
        DynamicImage::ImageRgb8(picture.to_rgb8()).write_with_encoder(encoder)
    };
    result.map_err(|e| UploadError::Undecodable(e.to_string()))?;
    Ok(out)
}

/// Processes an upload, writes its files and records it. Returns the stored image.
pub async fn upload(
    state: &AppState,
    bytes: Vec<u8>,
    original_name: &str,
    uploaded_by: i64,
) -> Result<Image, UploadError> {
    let size = bytes.len();
    let processed = tokio::task::spawn_blocking(move || process(&bytes))
        .await
        .map_err(|e| UploadError::Undecodable(e.to_string()))??;
    write_files(&state.config.media_dir, &processed)
        .await
        .map_err(|e| UploadError::Storage(e.to_string()))?;
    let image = Image {
        key: processed.key.clone(),
        content_type: processed.content_type().to_owned(),
        width: i64::from(processed.width),
        height: i64::from(processed.height),
        widths: processed
            .variants
            .iter()
            .map(|v| v.width.to_string())
            .collect::<Vec<_>>()
            .join(","),
        bytes: i64::try_from(size).unwrap_or(i64::MAX),
        original_name: original_name.chars().take(200).collect(),
        uploaded_by: Some(uploaded_by),
        created_at: Utc::now().timestamp(),
    };
    let mut conn = state
        .store
        .pool()
        .acquire()
        .await
        .map_err(|e| UploadError::Storage(e.to_string()))?;
    images::insert(&mut conn, &image)
        .await
        .map_err(|e| UploadError::Storage(e.to_string()))?;
    Ok(image)
}

/// Writes the variants into a temporary folder and renames it into place, so a crash never
/// leaves a half-written image behind a key the database knows.
async fn write_files(media: &Path, processed: &Processed) -> std::io::Result<()> {
    let target = media.join(&processed.key);
    if tokio::fs::try_exists(&target).await? {
        return Ok(());
    }
    let staging = media.join(format!(".{}-{}", processed.key, std::process::id()));
    tokio::fs::create_dir_all(&staging).await?;
    let extension = images::extension(processed.content_type());
    for variant in &processed.variants {
        let path = staging.join(format!("{}.{extension}", variant.width));
        tokio::fs::write(&path, &variant.bytes).await?;
    }
    match tokio::fs::rename(&staging, &target).await {
        Ok(()) => Ok(()),
        // Another request stored the same picture first.
        Err(_) if tokio::fs::try_exists(&target).await.unwrap_or(false) => {
            tokio::fs::remove_dir_all(&staging).await
        }
        Err(error) => Err(error),
    }
}

/// The URL of one variant.
pub fn variant_url(key: &str, width: u32, extension: &str) -> String {
    format!("/media/{key}/{width}.{extension}")
}

/// `/media/...`: the files as written, immutable for a year.
pub fn routes(state: &AppState) -> Router<AppState> {
    let files = ServeDir::new(&state.config.media_dir);
    Router::new().nest_service(
        "/media",
        tower::ServiceBuilder::new()
            .map_response(immutable)
            .service(files),
    )
}

/// Content-addressed files never change; not "public" on purpose, so the page cache (which
/// keeps "public" responses) leaves these bytes on disk.
fn immutable<B>(mut response: Response<B>) -> Response<B> {
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("max-age=31536000, immutable"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn png(width: u32, height: u32, alpha: bool) -> Vec<u8> {
        let picture = if alpha {
            DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
                width,
                height,
                image::Rgba([10, 20, 30, 128]),
            ))
        } else {
            DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
                image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
            }))
        };
        let mut out = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn sizes_read_the_indonesian_way() {
        assert_eq!(size_text(40_012), "40 KB");
        assert_eq!(size_text(3_355_443), "3,2 MB");
        assert_eq!(size_text(MAX_UPLOAD_BYTES), "12 MB");
    }

    #[test]
    fn a_photo_becomes_jpeg_variants_no_wider_than_itself() {
        let processed = process(&png(1000, 500, false)).unwrap();
        assert_eq!(processed.content_type(), "image/jpeg");
        let widths: Vec<u32> = processed.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [320, 640, 960, 1000]);
        let smallest = image::load_from_memory(&processed.variants[0].bytes).unwrap();
        assert_eq!((smallest.width(), smallest.height()), (320, 160));
        assert_eq!(processed.key.len(), 24);
    }

    #[test]
    fn transparency_stays_png_and_big_pictures_stop_at_1280() {
        let processed = process(&png(2000, 100, true)).unwrap();
        assert_eq!(processed.content_type(), "image/png");
        let widths: Vec<u32> = processed.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [320, 640, 960, 1280]);
    }

    #[test]
    fn refuses_what_is_not_a_picture() {
        assert!(matches!(process(b""), Err(UploadError::Empty)));
        assert!(matches!(
            process(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(UploadError::UnsupportedType)
        ));
        let mut cut = png(50, 50, false);
        cut.truncate(60);
        assert!(matches!(process(&cut), Err(UploadError::Undecodable(_))));
        let big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(process(&big), Err(UploadError::TooLarge(_))));
    }
}
