//! `cargo xtask bench-codegen --docs DIR`: the wall time of whole `codegen` runs with a docs
//! checkout, each run its own process (as a maintainer runs it), in one sitting: `--check` and
//! plain runs warm (the output memo and the format cache filled by a warm-up run: the docs
//! unchanged), `--check` with the trees made again on a filled format cache
//! (`--no-output-memo`: as after a small spec change) and cold (`--no-format-cache`, every
//! file formatted). Medians and the warm/cold ratio are printed; on a shared machine only the
//! ratio, and the CPU time beside each figure, mean much across sittings.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Arguments of `cargo xtask bench-codegen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The docs checkout to extract (else `B24_DOCS`).
    #[arg(long)]
    pub docs: Option<PathBuf>,
    /// Measured runs of each kind.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

/// One measured run: wall time and the child's CPU time (user + system).
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

pub fn run(args: Args) -> Result<()> {
    let Some(docs) = crate::docs_source::resolve(args.docs)? else {
        bail!("bench-codegen needs a docs checkout: --docs DIR or B24_DOCS");
    };
    let runs = args.runs.max(1);
    let exe = std::env::current_exe().context("the xtask binary")?;
    let codegen = |extra: &[&str]| -> Result<Sample> {
        let before = children_cpu();
        let start = Instant::now();
        let status = Command::new(&exe)
            .args(["codegen", "--docs"])
            .arg(&docs)
            .args(extra)
            .stderr(std::process::Stdio::null())
            .status()
            .context("running xtask codegen")?;
        let wall = start.elapsed();
        if !status.success() {
            bail!("`xtask codegen {extra:?}` failed: regenerate first, then measure");
        }
        Ok(Sample {
            wall,
            cpu: children_cpu().saturating_sub(before),
        })
    };
    let measure = |extra: &[&str]| -> Result<Sample> {
        Ok(median(
            (0..runs).map(|_| codegen(extra)).collect::<Result<_>>()?,
        ))
    };
    // Fills the format cache, the output memo and the page cache; fails on stale files, so the
    // plain runs below write nothing.
    codegen(&["--check"])?;
    let warm = measure(&["--check"])?;
    let plain = measure(&[])?;
    let made = measure(&["--check", "--no-output-memo"])?;
    let cold = measure(&["--check", "--no-format-cache"])?;
    println!("codegen, median of {runs} runs each:");
    println!(
        "  --check, warm (memo and format cache filled): {}",
        show(warm)
    );
    println!(
        "  plain,   warm (nothing to write):            {}",
        show(plain)
    );
    println!(
        "  --check, trees made (format cache, no memo):  {}",
        show(made)
    );
    println!(
        "  --check, cold (every file formatted):         {}",
        show(cold)
    );
    println!(
        "  warm / cold: {:.2} (wall), {:.2} (CPU)",
        warm.wall.as_secs_f64() / cold.wall.as_secs_f64(),
        warm.cpu.as_secs_f64() / cold.cpu.as_secs_f64().max(1e-9),
    );
    Ok(())
}

fn show(sample: Sample) -> String {
    format!(
        "{:>7.2} s wall, {:>6.2} s CPU",
        sample.wall.as_secs_f64(),
        sample.cpu.as_secs_f64()
    )
}

/// The sample with the median wall time.
fn median(mut samples: Vec<Sample>) -> Sample {
    samples.sort_by_key(|s| s.wall);
    samples[samples.len() / 2]
}

/// CPU time (user + system) of the waited-for children so far, from `/proc/self/stat`
/// (`cutime` and `cstime`, in clock ticks of 1/100 s on Linux); zero where it cannot be read.
fn children_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `cutime` and `cstime` are fields 16 and 17 of the whole line; `rest` starts at field 3.
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}
