//! Unit tests for the parent module.

use super::*;
use figment::Jail;

fn load_in_jail(overrides: Overrides) -> Result<Config, String> {
    Config::load(&overrides).map_err(|e| e.to_string())
}

#[test]
fn the_printed_default_config_parses_back_to_the_defaults() {
    let parsed = Config::from_toml(DEFAULT_CONFIG_TOML).unwrap();
    assert_eq!(parsed, Config::default());
}

#[test]
fn defaults_apply_without_file_env_or_flags() {
    Jail::expect_with(|_jail| {
        let config = load_in_jail(Overrides::default()).unwrap();
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.database_path(), PathBuf::from("./data/till.db"));
        Ok(())
    });
}

#[test]
fn file_beats_defaults_env_beats_file_and_flags_beat_env() {
    Jail::expect_with(|jail| {
        jail.create_file(
            "till.toml",
            "bind = \"127.0.0.1:9000\"\ndata_dir = \"/from-file\"\n[company]\nname = \"File Co\"\n",
        )?;
        let file = Some(PathBuf::from("till.toml"));

        let config = load_in_jail(Overrides {
            config_file: file.clone(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.company.name, "File Co");

        jail.set_env("TILL_BIND", "127.0.0.1:9100");
        jail.set_env("TILL_COMPANY__NAME", "Env Co");
        let config = load_in_jail(Overrides {
            config_file: file.clone(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(config.bind.port(), 9100);
        assert_eq!(config.company.name, "Env Co");
        assert_eq!(config.data_dir, PathBuf::from("/from-file"));

        let config = load_in_jail(Overrides {
            config_file: file,
            bind: Some("127.0.0.1:9200".parse().unwrap()),
            data_dir: Some(PathBuf::from("/from-flag")),
            sample_data: Some(false),
        })
        .unwrap();
        assert_eq!(config.bind.port(), 9200);
        assert_eq!(config.data_dir, PathBuf::from("/from-flag"));
        assert!(!config.sample_data);
        Ok(())
    });
}

#[test]
fn first_run_variables_are_not_mistaken_for_config_keys() {
    Jail::expect_with(|jail| {
        jail.set_env("TILL_ADMIN_EMAIL", "boss@example.com");
        jail.set_env("TILL_ADMIN_PASSWORD", "correct horse battery");
        jail.set_env("TILL_CONFIG", "ignored-here.toml");
        assert!(load_in_jail(Overrides::default()).is_ok());
        Ok(())
    });
}

#[test]
fn an_unknown_key_in_the_file_is_named() {
    Jail::expect_with(|jail| {
        jail.create_file("till.toml", "[company]\nnmae = \"typo\"\n")?;
        let err = load_in_jail(Overrides {
            config_file: Some("till.toml".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.contains("nmae"), "{err}");
        Ok(())
    });
}

#[test]
fn an_unknown_environment_key_is_named() {
    Jail::expect_with(|jail| {
        jail.set_env("TILL_BINDD", "127.0.0.1:1");
        let err = load_in_jail(Overrides::default()).unwrap_err();
        assert!(err.contains("bindd"), "{err}");
        Ok(())
    });
}

#[test]
fn a_bad_value_is_named() {
    Jail::expect_with(|jail| {
        jail.set_env("TILL_BIND", "not-an-address");
        let err = load_in_jail(Overrides::default()).unwrap_err();
        assert!(err.to_lowercase().contains("bind"), "{err}");

        jail.set_env("TILL_BIND", "127.0.0.1:8080");
        jail.set_env("TILL_DATABASE__READ_POOL_SIZE", "0");
        let err = load_in_jail(Overrides::default()).unwrap_err();
        assert!(err.contains("database.read_pool_size"), "{err}");
        Ok(())
    });
}

#[test]
fn a_missing_config_file_is_an_error_not_a_silent_default() {
    Jail::expect_with(|_jail| {
        let err = load_in_jail(Overrides {
            config_file: Some("nowhere.toml".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.contains("nowhere.toml"), "{err}");
        Ok(())
    });
}

#[test]
fn secrets_never_show_in_debug_or_printed_config() {
    let mut config = Config::default();
    config.mail.smtp_password = Secret::new("hunter2-smtp");
    config.gateways.stripe.secret_key = Secret::new("sk_test_hunter2");
    config.gateways.stripe.webhook_secret = Secret::new("whsec_hunter2");
    config.gateways.paystack.secret_key = Secret::new("sk_test_hunter2p");
    assert!(!format!("{config:?}").contains("hunter2"));
    assert!(!config.to_toml().contains("hunter2"));
    assert!(config.to_toml().contains("[redacted]"));
}

#[test]
fn a_gateway_is_configured_by_its_secret_key_from_the_environment() {
    Jail::expect_with(|jail| {
        let config = load_in_jail(Overrides::default()).unwrap();
        assert!(!config.gateways.stripe.configured());
        assert!(!config.gateways.paystack.configured());
        assert_eq!(config.gateways.stripe.base_url, "https://api.stripe.com");

        jail.set_env("TILL_GATEWAYS__STRIPE__SECRET_KEY", "sk_test_1");
        jail.set_env("TILL_GATEWAYS__STRIPE__WEBHOOK_SECRET", "whsec_1");
        jail.set_env("TILL_GATEWAYS__PAYSTACK__SECRET_KEY", "sk_test_2");
        jail.set_env("TILL_GATEWAYS__PAYSTACK__BASE_URL", "http://127.0.0.1:9");
        let config = load_in_jail(Overrides::default()).unwrap();
        assert!(config.gateways.stripe.configured());
        assert_eq!(config.gateways.stripe.webhook_secret.expose(), "whsec_1");
        assert!(config.gateways.paystack.configured());
        assert_eq!(config.gateways.paystack.base_url, "http://127.0.0.1:9");

        jail.set_env("TILL_GATEWAYS__PAYSTACK__BASE_URL", "api.paystack.co");
        let err = load_in_jail(Overrides::default()).unwrap_err();
        assert!(err.contains("gateways.paystack.base_url"), "{err}");
        Ok(())
    });
}

#[test]
fn bad_domain_lookup_settings_are_named() {
    let mut config = Config::default();
    config.domains.bulk_concurrency = 0;
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("domains.bulk_concurrency"), "{err}");
    let mut config = Config::default();
    config.domains.whois_servers.insert(
        "gh".into(),
        WhoisServerConfig {
            server: "whois.nic.gh:notaport".into(),
            available_pattern: "No match".into(),
        },
    );
    let err = config.validate().unwrap_err().to_string();
    assert!(
        err.contains("domains.whois_servers") && err.contains("`gh`"),
        "{err}"
    );
    let mut config = Config::default();
    config.domains.rdap_base_url = "rdap.example.net".into();
    assert!(config.validate().is_err());
}
