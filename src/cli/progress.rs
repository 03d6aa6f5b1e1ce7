//! A progress bar over the bytes of the survey files, shown only when stderr is a
//! terminal, the files are large enough to wait for, and `--quiet` is off.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output;
use crate::analysis::Input;
use crate::ingest::ProgressHook;

/// Below this many bytes reading is over before a bar would help.
const MIN_BYTES: u64 = 32 * 1024 * 1024;

/// Installs a progress bar into the input's ingest options when it makes sense;
/// returns the bar so the caller can clear it.
pub fn attach(input: &mut Input) -> Option<ProgressBar> {
    if output::quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    let sizes: Vec<u64> = input
        .surveys
        .iter()
        .map(|f| std::fs::metadata(&f.path).map(|m| m.len()).unwrap_or(0))
        .collect();
    let total: u64 = sizes.iter().sum();
    if total < MIN_BYTES {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} reading surveys {bar:40} {bytes}/{total_bytes} ({eta})",
    ) {
        bar.set_style(style);
    }
    // files may be read two at a time: the bar shows the sum of the bytes read per file
    let shared = Arc::new(Mutex::new((bar.clone(), vec![0u64; sizes.len()])));
    input.ingest.progress = Some(ProgressHook(Arc::new(move |file, bytes, _size| {
        if let Ok(mut s) = shared.lock() {
            let (bar, done) = &mut *s;
            if let Some(d) = done.get_mut(file) {
                *d = bytes;
            }
            bar.set_position(done.iter().sum());
        }
    })));
    Some(bar)
}
