//! Colours: a dark and a light theme, and a monochrome one when NO_COLOR is set.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub selected: Style,
    pub due: Style,
    pub at_risk: Style,
    pub ok: Style,
    pub error: Style,
    pub bar: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::dark()
    }
}

impl Theme {
    pub fn dark() -> Theme {
        Theme {
            base: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::Blue).fg(Color::White),
            due: Style::new().fg(Color::Yellow),
            at_risk: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::White).bg(Color::Red),
            bar: Style::new().bg(Color::DarkGray).fg(Color::White),
        }
    }

    pub fn light() -> Theme {
        Theme {
            base: Style::new(),
            dim: Style::new().fg(Color::Gray),
            title: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::LightBlue).fg(Color::Black),
            due: Style::new().fg(Color::Rgb(160, 110, 0)),
            at_risk: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::White).bg(Color::Red),
            bar: Style::new().bg(Color::Gray).fg(Color::Black),
        }
    }

    /// No colours at all: emphasis by reverse video and bold only.
    pub fn mono() -> Theme {
        Theme {
            base: Style::new(),
            dim: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            due: Style::new(),
            at_risk: Style::new().add_modifier(Modifier::BOLD),
            ok: Style::new(),
            error: Style::new().add_modifier(Modifier::REVERSED),
            bar: Style::new().add_modifier(Modifier::REVERSED),
        }
    }

    pub fn named(name: &str) -> Option<Theme> {
        match name {
            "dark" => Some(Theme::dark()),
            "light" => Some(Theme::light()),
            "mono" | "none" => Some(Theme::mono()),
            _ => None,
        }
    }
}
