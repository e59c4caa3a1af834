//! A real Radicale for the sync tests: started on 127.0.0.1 on a free port with its own temporary
//! storage and configuration (no system config is read), stopped when dropped. Tests skip, with a
//! printed message, only where `radicale` is not installed (`.ci/run` installs it).

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How Radicale checks logins.
#[derive(Debug, Clone, Copy)]
pub enum Login {
    /// Any user name and password are accepted (each user name has its own collections).
    Any,
    /// Only these (user, password) pairs (an htpasswd file, plain passwords).
    Htpasswd(&'static [(&'static str, &'static str)]),
}

pub struct Radicale {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
}

fn installed() -> bool {
    Command::new("radicale")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Radicale {
    /// A running server, or `None` (after printing why) when radicale is not installed.
    pub fn start(login: Login) -> Option<Radicale> {
        if !installed() {
            eprintln!(
                "skipped: radicale is not installed here (apt-get install radicale; .ci/run does)"
            );
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut server = Radicale {
            child: None,
            port: free_port(),
            dir,
        };
        server.write_config(login);
        server.spawn();
        Some(server)
    }

    fn write_config(&self, login: Login) {
        let auth = match login {
            Login::Any => "type = none\n".to_string(),
            Login::Htpasswd(users) => {
                let file = self.dir.path().join("users");
                let lines: String = users.iter().map(|(u, p)| format!("{u}:{p}\n")).collect();
                std::fs::write(&file, lines).unwrap();
                format!(
                    "type = htpasswd\nhtpasswd_filename = {}\nhtpasswd_encryption = plain\ndelay = 0\n",
                    file.display()
                )
            }
        };
        let config = format!(
            "[server]\nhosts = 127.0.0.1:{port}\n\n[auth]\n{auth}\n[rights]\ntype = owner_only\n\n\
             [storage]\nfilesystem_folder = {storage}\n\n[web]\ntype = none\n\n[logging]\nlevel = warning\n",
            port = self.port,
            storage = self.storage().display(),
        );
        std::fs::write(self.dir.path().join("config"), config).unwrap();
    }

    /// Where Radicale keeps the collections.
    pub fn storage(&self) -> PathBuf {
        self.dir.path().join("collections")
    }

    /// The server's base URL, with a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    fn spawn(&mut self) {
        let config = self.dir.path().join("config");
        let child = Command::new("radicale")
            .arg("--config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        self.child = Some(child);
        self.wait_ready();
    }

    fn wait_ready(&mut self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("radicale exited ({status}) before it listened: {err}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("radicale did not listen on port {} within 20 s", self.port);
    }

    /// Stop the server (the storage stays): requests now fail to connect.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Start it again on the same port and storage.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    /// Files of one user's collection (items only), sorted.
    pub fn items(&self, user: &str, collection: &str) -> Vec<PathBuf> {
        let dir = self
            .storage()
            .join("collection-root")
            .join(user)
            .join(collection);
        let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && !is_hidden(p))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The collections of one user (directory names), sorted.
    pub fn collections(&self, user: &str) -> Vec<String> {
        let dir = self.storage().join("collection-root").join(user);
        let mut out: Vec<String> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

fn is_hidden(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.stop();
    }
}
