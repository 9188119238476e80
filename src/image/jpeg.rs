//! Colour pages as baseline JPEG (JFIF, 300 dpi), the format IPRO's image
//! type 4 and the agency specifications name for colour.

use super::Raster;
use jpeg_encoder::{ColorType, Encoder, PixelDensity};

/// Quality 85 keeps small coloured text legible at 300 dpi.
const QUALITY: u8 = 85;

pub fn encode(raster: &Raster<'_>) -> Result<Vec<u8>, String> {
    let side = |n: u32| {
        u16::try_from(n).map_err(|_| format!("a page {n} pixels wide is too large for a JPEG"))
    };
    let (w, h) = (side(raster.width)?, side(raster.height)?);
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, QUALITY);
    let dpi =
        u16::try_from(raster.dpi).map_err(|_| format!("{} dpi is out of range", raster.dpi))?;
    enc.set_density(PixelDensity::dpi(dpi));
    enc.encode(raster.rgba, w, h, ColorType::Rgba)
        .map_err(|e| format!("the JPEG could not be written: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_jfif_at_300_dpi() {
        let raster = Raster {
            width: 16,
            height: 8,
            dpi: 300,
            rgba: &[200u8, 30, 30, 255].repeat(16 * 8),
        };
        let bytes = encode(&raster).unwrap();
        assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF]);
        // JFIF APP0: units 1 (dots per inch), then 300 × 300.
        let app0 = bytes.windows(5).position(|w| w == b"JFIF\0").unwrap();
        assert_eq!(&bytes[app0 + 7..app0 + 12], &[1, 1, 44, 1, 44]);
    }
}
