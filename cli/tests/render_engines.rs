//! The SVG badges look the same in a browser (Chromium) and in librsvg (`rsvg-convert`, what
//! GNOME, many wikis and forums, and image proxies use). Needs `chromium` and `rsvg-convert`
//! (Debian's `chromium` and `librsvg2-bin`, which `cargo xtask test` and `.ci/run` install).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{example, jauge, stderr};

const SCALE: u32 = 2;

fn tool(name: &str) -> PathBuf {
    let path = Path::new("/usr/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: apt-get install chromium librsvg2-bin fonts-dejavu-core (cargo xtask test does)",
        path.display()
    );
    path
}

fn badge(dir: &Path, shape: &str, at: &str) -> (PathBuf, u32, u32) {
    let out = dir.join(format!("{shape}-{}.svg", at.len()));
    let output = jauge()
        .args(["badge", "--shape", shape, "--at", at, "--campaign"])
        .arg(example())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&out).unwrap();
    let number = |name: &str| -> u32 {
        let start = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        svg[start..start + svg[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (out, number("width"), number("height"))
}

/// RGBA pixels of a PNG file.
fn pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buffer).unwrap();
    buffer.truncate(frame.buffer_size());
    let rgba: Vec<u8> = match frame.color_type {
        png::ColorType::Rgba => buffer,
        png::ColorType::Rgb => buffer
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    (frame.width, frame.height, rgba)
}

fn with_librsvg(svg: &Path, out: &Path) {
    let status = Command::new(tool("rsvg-convert"))
        .args([
            "--zoom",
            &SCALE.to_string(),
            "--background-color",
            "white",
            "--output",
        ])
        .arg(out)
        .arg(svg)
        .status()
        .unwrap();
    assert!(status.success());
}

fn with_chromium(svg: &Path, width: u32, height: u32, out: &Path) {
    let page = svg.with_extension("html");
    std::fs::write(
        &page,
        format!(
            "<!doctype html><html><body style=\"margin:0;background:#fff\"><img src=\"{}\" width=\"{width}\" height=\"{height}\" style=\"display:block\"></body></html>",
            svg.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            &format!("--force-device-scale-factor={SCALE}"),
            // A window just the badge's size is painted only in part: take a roomy one and
            // keep its top-left corner.
            "--window-size=800,600",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--screenshot={}", out.display()),
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.exists(),
        "chromium wrote no screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The top-left `width` × `height` pixels.
fn crop(image: (u32, u32, Vec<u8>), width: u32, height: u32) -> (u32, u32, Vec<u8>) {
    let (full_width, _, rgba) = image;
    let rows = rgba
        .chunks(full_width as usize * 4)
        .take(height as usize)
        .flat_map(|row| row[..width as usize * 4].to_vec())
        .collect();
    (width, height, rows)
}

/// The share of pixels that differ visibly (a channel by more than 64 of 255), compared at the
/// badge's own size: each pixel the average of its `SCALE` × `SCALE` rendered ones, so that
/// anti-aliasing at glyph edges, which engines do differently, weighs less than a shape or a
/// word out of place.
fn differing(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> f64 {
    assert_eq!(
        (a.0, a.1),
        (b.0, b.1),
        "both renderings have the badge's size"
    );
    let (width, height) = (a.0 / SCALE, a.1 / SCALE);
    let average = |image: &(u32, u32, Vec<u8>), x: u32, y: u32, channel: usize| -> u32 {
        let mut sum = 0;
        for dy in 0..SCALE {
            for dx in 0..SCALE {
                let index = (((y * SCALE + dy) * image.0 + x * SCALE + dx) * 4) as usize + channel;
                sum += u32::from(image.2[index]);
            }
        }
        sum / (SCALE * SCALE)
    };
    let mut visible = 0;
    for y in 0..height {
        for x in 0..width {
            if (0..3).any(|c| average(a, x, y, c).abs_diff(average(b, x, y, c)) > 64) {
                visible += 1;
            }
        }
    }
    f64::from(visible) / f64::from(width * height)
}

#[test]
fn badges_render_the_same_in_chromium_and_librsvg() {
    let dir = tempfile::tempdir().unwrap();
    // Measured: 3.1 % (bar: white bold text on two colours) and 1.0 % (compact).
    for (shape, tolerance) in [("bar", 0.05), ("compact", 0.03)] {
        let (svg, width, height) = badge(dir.path(), shape, "2023-12-26T08:00:00+01:00");
        let (from_rsvg, from_chromium) = (
            dir.path().join(format!("{shape}-rsvg.png")),
            dir.path().join(format!("{shape}-chromium.png")),
        );
        with_librsvg(&svg, &from_rsvg);
        with_chromium(&svg, width, height, &from_chromium);
        let (a, b) = (
            pixels(&from_rsvg),
            crop(pixels(&from_chromium), width * SCALE, height * SCALE),
        );
        assert_eq!((a.0, a.1), (width * SCALE, height * SCALE));
        let share = differing(&a, &b);
        eprintln!(
            "{shape}: {:.2} % of pixels differ visibly between Chromium and librsvg",
            share * 100.0
        );
        assert!(
            share < tolerance,
            "{shape}: {:.1} % of pixels differ",
            share * 100.0
        );
        // The comparison sees a real difference: the same badge without its money bar's fill
        // (a renderer that drops one shape) is far apart.
        let text = std::fs::read_to_string(&svg).unwrap();
        let fill = text.find("fill=\"#6d28d9\"").expect("the bar's fill");
        let start = text[..fill].rfind('<').unwrap();
        let end = fill + text[fill..].find("/>").unwrap() + 2;
        let broken = dir.path().join(format!("{shape}-broken.svg"));
        std::fs::write(&broken, format!("{}{}", &text[..start], &text[end..])).unwrap();
        let from_broken = dir.path().join(format!("{shape}-broken.png"));
        with_librsvg(&broken, &from_broken);
        let apart = differing(&pixels(&from_broken), &b);
        eprintln!("{shape}: {:.2} % differ without the fill", apart * 100.0);
        assert!(
            apart > tolerance,
            "{shape}: the check cannot see a missing shape"
        );
    }
}
