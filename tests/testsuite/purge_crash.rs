//! The purge crash test: `mot purge` on a database with a large history is
//! killed (SIGKILL on Unix, TerminateProcess on Windows) at a random moment,
//! several times. Each time the file passes `PRAGMA integrity_check` and holds
//! the state before the purge, the state after it, or the state after some
//! whole batches (every removed delivery counted in the totals); the next
//! purge always finishes the job.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::aged;
use crate::aged::Stage;
use crate::common::Mot;
use crate::common::platform::Portable;

const ROUNDS: usize = 6;

fn remove_db(mot: &Mot) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = mot.db().into_os_string();
        path.push(suffix);
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn killed_mid_purge_leaves_whole_batches_and_the_next_purge_finishes() {
    let mot = Mot::new();
    let history = {
        let conn = mot.sql();
        aged::fill(&conn, jiff::Timestamp::now(), 1000, 60, 30)
    };
    let template = mot.dir.path().join("template.db");
    std::fs::copy(mot.db(), &template).unwrap();

    // One uninterrupted run, to know how long a purge takes here.
    let start = Instant::now();
    mot.cmd(["purge"]).assert().success();
    let full = start.elapsed();
    assert_eq!(aged::stage(&mot.sql(), history), Stage::New);

    let mut seen = Vec::new();
    for round in 0..ROUNDS {
        remove_db(&mot);
        std::fs::copy(&template, mot.db()).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("mot"))
            .arg("purge")
            .env_clear()
            .portable()
            .env("MOT_CONFIG", mot.config())
            .env("MOT_DB", mot.db())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole run, with a random part in each slice.
        let slice = full.as_secs_f64() / ROUNDS as f64;
        let at = slice * (round as f64 + fastrand::f64());
        std::thread::sleep(Duration::from_secs_f64(at));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();

        let conn = mot.sql();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
        let stage = aged::stage(&conn, history);
        assert!(
            matches!(stage, Stage::Old | Stage::New | Stage::Batches),
            "round {round}, killed after {at:.3}s: {stage:?}"
        );
        seen.push((at, finished, stage));
        drop(conn);
        // Whatever the kill left, purge finishes the job.
        mot.cmd(["purge"]).assert().success();
        assert_eq!(aged::stage(&mot.sql(), history), Stage::New);
    }
    eprintln!("full run {full:?}; rounds (kill at s, had finished, state): {seen:?}");
    assert!(
        seen.iter()
            .any(|(_, finished, s)| *s != Stage::New && !finished),
        "no kill landed mid-purge: {seen:?}"
    );
}
