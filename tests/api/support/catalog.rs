//! The catalog: an app with the sample catalog (Starter hosting, a VPS,
//! a business plan, their addons, options and TLDs) installed.

use till::clock::Clock;

use super::TestApp;

impl TestApp {
    /// A new app with the sample catalog, installed as the first admin.
    pub fn with_catalog() -> TestApp {
        let app = TestApp::spawn();
        app.install_catalog();
        app
    }

    /// Install the sample catalog now (for an app built another way).
    pub fn install_catalog(&self) {
        till::service::catalog::sample::install(&self.state.db, 1, self.clock.now()).unwrap();
        till::service::support::departments::install_samples(&self.state.db, self.clock.now())
            .unwrap();
    }
}
