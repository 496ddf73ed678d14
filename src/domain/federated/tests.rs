use super::*;

fn github(repo: &str, scope: GitHubScope, value: &str) -> TemplateInput {
    TemplateInput {
        repository: repo.into(),
        github_scope: scope,
        value: value.into(),
        ..TemplateInput::new(Workload::GitHubActions)
    }
}

fn existing(name: &str, issuer: &str, subject: &str) -> FederatedIdentityCredential {
    FederatedIdentityCredential {
        id: format!("id-{name}"),
        name: name.into(),
        issuer: issuer.into(),
        subject: subject.into(),
        audiences: vec![AZURE_AD_TOKEN_EXCHANGE.into()],
        description: None,
    }
}

fn fields(r: Result<(String, String), Vec<FieldProblem>>) -> Vec<Field> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|p| p.field)
        .collect()
}

#[test]
fn github_subjects_for_each_scope() {
    let built = |scope, value| {
        github(" contoso/payroll-api ", scope, value)
            .build()
            .unwrap()
    };
    assert_eq!(
        built(GitHubScope::Environment, "production"),
        (
            GITHUB_ISSUER.to_string(),
            "repo:contoso/payroll-api:environment:production".to_string()
        )
    );
    assert_eq!(
        built(GitHubScope::Branch, "main").1,
        "repo:contoso/payroll-api:ref:refs/heads/main"
    );
    assert_eq!(
        built(GitHubScope::Tag, "v1.2").1,
        "repo:contoso/payroll-api:ref:refs/tags/v1.2"
    );
    assert_eq!(
        built(GitHubScope::PullRequest, "").1,
        "repo:contoso/payroll-api:pull_request"
    );
}

#[test]
fn github_mistakes_say_what_to_change() {
    let e = github(
        "https://github.com/contoso/payroll.git",
        GitHubScope::Branch,
        "main",
    )
    .build()
    .unwrap_err();
    assert_eq!(e[0].field, Field::Repository);
    assert!(
        e[0].message
            .contains("not the repository's URL: contoso/payroll"),
        "{}",
        e[0].message
    );
    let e = github("payroll", GitHubScope::Branch, "refs/heads/main")
        .build()
        .unwrap_err();
    assert_eq!(
        e.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::Repository, Field::Value]
    );
    assert!(e[1].message.contains("without refs/heads/"));
    assert!(github("contoso/payroll", GitHubScope::Environment, " ")
        .build()
        .unwrap_err()[0]
        .message
        .contains("case matters"));
}

#[test]
fn kubernetes_gitlab_and_terraform_templates() {
    let k8s = TemplateInput {
        issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/".into(),
        namespace: "payroll".into(),
        service_account: "payroll-api".into(),
        ..TemplateInput::new(Workload::Kubernetes)
    };
    assert_eq!(
        k8s.build().unwrap().1,
        "system:serviceaccount:payroll:payroll-api"
    );
    let bad = TemplateInput {
        namespace: "Payroll".into(),
        service_account: "".into(),
        ..k8s.clone()
    };
    assert_eq!(
        fields(bad.build()),
        [Field::Namespace, Field::ServiceAccount]
    );

    let gitlab = TemplateInput {
        repository: "contoso/platform/payroll".into(),
        value: "main".into(),
        ..TemplateInput::new(Workload::GitLab)
    };
    assert_eq!(
        gitlab.build().unwrap(),
        (
            GITLAB_ISSUER.to_string(),
            "project_path:contoso/platform/payroll:ref_type:branch:ref:main".to_string()
        )
    );
    let tag = TemplateInput {
        gitlab_ref: GitLabRef::Tag,
        value: "v2".into(),
        issuer: "https://gitlab.contoso.example".into(),
        ..gitlab.clone()
    };
    assert_eq!(
        tag.build().unwrap(),
        (
            "https://gitlab.contoso.example".to_string(),
            "project_path:contoso/platform/payroll:ref_type:tag:ref:v2".to_string()
        )
    );
    assert_eq!(
        fields(
            TemplateInput {
                repository: "payroll".into(),
                ..gitlab
            }
            .build()
        ),
        [Field::Repository]
    );

    let tfc = TemplateInput {
        organization: "contoso".into(),
        workspace: "payroll-prod".into(),
        run_phase: RunPhase::Apply,
        ..TemplateInput::new(Workload::TerraformCloud)
    };
    assert_eq!(
        tfc.build().unwrap(),
        (
            TERRAFORM_ISSUER.to_string(),
            "organization:contoso:project:Default Project:workspace:payroll-prod:run_phase:apply"
                .to_string()
        )
    );
    assert_eq!(
        fields(
            TemplateInput {
                workspace: "a:b".into(),
                ..tfc
            }
            .build()
        ),
        [Field::Workspace]
    );
}

#[test]
fn free_form_checks_the_issuer_and_a_github_subject() {
    let free = |issuer: &str, subject: &str| TemplateInput {
        issuer: issuer.into(),
        subject: subject.into(),
        ..TemplateInput::new(Workload::OtherOidc)
    };
    assert!(free("https://issuer.contoso.example", "workload-7")
        .build()
        .is_ok());
    let http = free("http://issuer.contoso.example", "x")
        .build()
        .unwrap_err();
    assert_eq!(http[0].field, Field::Issuer);
    assert!(http[0].message.contains("https://"));
    let no_repo = free(GITHUB_ISSUER, "contoso/payroll:environment:prod")
        .build()
        .unwrap_err();
    assert!(no_repo[0]
        .message
        .starts_with("A GitHub Actions subject starts with repo:"));
    let slash = free(
        "https://token.actions.githubusercontent.com/",
        "repo:a/b:pull_request",
    )
    .build()
    .unwrap_err();
    assert!(slash[0].message.contains("no trailing /"));
    assert_eq!(
        fields(free("", "").build()),
        [Field::Issuer, Field::Subject]
    );
    assert_eq!(
        fields(free("https://a", &"s".repeat(601)).build()),
        [Field::Subject]
    );
}

#[test]
fn names_and_the_apps_own_credentials_are_checked_before_sending() {
    let input = github(
        "contoso/payroll-api",
        GitHubScope::Environment,
        "production",
    );
    let taken = [
        existing(
            "gh-prod",
            GITHUB_ISSUER,
            "repo:contoso/payroll-api:environment:production",
        ),
        existing("Taken-Name", "https://x.example", "y"),
    ];
    let e = check_new(&input, "taken-name", AZURE_AD_TOKEN_EXCHANGE, "", &taken).unwrap_err();
    assert_eq!(
        e.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::Name, Field::Subject]
    );
    assert!(e[0].message.contains("\u{201c}Taken-Name\u{201d}"));
    assert!(e[1]
        .message
        .contains("\u{201c}gh-prod\u{201d} already trusts"));
    // Matching is case-sensitive: another environment's case is another subject.
    let other = github(
        "contoso/payroll-api",
        GitHubScope::Environment,
        "Production",
    );
    assert!(check_new(&other, "new-one", AZURE_AD_TOKEN_EXCHANGE, "", &taken).is_ok());
    for bad in ["ab", "-x-y", "with space", "dot.ted", &"a".repeat(121)] {
        let e = check_new(&other, bad, AZURE_AD_TOKEN_EXCHANGE, "", &[]).unwrap_err();
        assert_eq!(e[0].field, Field::Name, "{bad}");
    }
    assert!(name_is_valid(&"a".repeat(120)));
    let e = check_new(&other, "fine", " ", &"d".repeat(601), &[]).unwrap_err();
    assert_eq!(
        e.iter().map(|p| p.field).collect::<Vec<_>>(),
        [Field::Audience, Field::Description]
    );
}

#[test]
fn suggested_names_follow_the_rule() {
    let input = github("Contoso/Payroll.API", GitHubScope::Environment, "Prod EU");
    assert_eq!(input.suggested_name(), "github-contoso-payroll-api-prod-eu");
    assert!(name_is_valid(&input.suggested_name()));
    let long = github(
        &format!("o/{}", "r".repeat(200)),
        GitHubScope::Branch,
        "main",
    );
    assert!(name_is_valid(&long.suggested_name()));
    assert_eq!(
        TemplateInput::new(Workload::Kubernetes).suggested_name(),
        "k8s"
    );
    assert_eq!(
        TemplateInput::new(Workload::OtherOidc).suggested_name(),
        "federated-credential"
    );
    assert_eq!(
        github("a/b", GitHubScope::PullRequest, "").suggested_name(),
        "github-a-b-pull-requests"
    );
}

#[test]
fn the_audience_per_cloud_and_none_where_undocumented() {
    assert_eq!(
        audience_for_graph_base("https://graph.microsoft.com"),
        Some(AZURE_AD_TOKEN_EXCHANGE)
    );
    assert_eq!(
        audience_for_graph_base("https://dod-graph.microsoft.us"),
        Some("api://AzureADTokenExchangeUSGov")
    );
    assert_eq!(
        audience_for_graph_base("https://graph.microsoft.us"),
        Some("api://AzureADTokenExchangeUSGov")
    );
    assert_eq!(
        audience_for_graph_base("https://microsoftgraph.chinacloudapi.cn"),
        Some("api://AzureADTokenExchangeChina")
    );
    assert_eq!(
        audience_for_graph_base("http://127.0.0.1:8400/graph"),
        Some(AZURE_AD_TOKEN_EXCHANGE),
        "the sandbox stands in for the global service"
    );
    assert_eq!(
        audience_for_graph_base("https://graph.contoso.example"),
        None
    );
}

#[test]
fn snippets_name_the_app_and_tenant() {
    let ids = Ids {
        client_id: "11111111-2222-3333-4444-555555555555",
        tenant_id: "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d",
    };
    let created = existing(
        "gh",
        GITHUB_ISSUER,
        "repo:contoso/payroll-api:environment:production",
    );
    let gh = snippets(
        &github(
            "contoso/payroll-api",
            GitHubScope::Environment,
            "production",
        ),
        &created,
        &ids,
    );
    let text = &gh[0].text;
    for needed in [
        "id-token: write",
        "azure/login@v2",
        "client-id: 11111111-2222-3333-4444-555555555555",
        "tenant-id: 8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d",
        "subscription-id:",
        "environment: production",
    ] {
        assert!(text.contains(needed), "{needed} in\n{text}");
    }
    let k8s = TemplateInput {
        namespace: "payroll".into(),
        service_account: "payroll-api".into(),
        ..TemplateInput::new(Workload::Kubernetes)
    };
    let k = snippets(&k8s, &created, &ids);
    assert!(k[0]
        .text
        .contains("azure.workload.identity/client-id: \"11111111-2222-3333-4444-555555555555\""));
    assert!(k[0].text.contains("namespace: payroll"));
    assert!(k[1].text.contains("azure.workload.identity/use: \"true\""));
    assert!(k[1].text.contains("serviceAccountName: payroll-api"));
    let gl = snippets(&TemplateInput::new(Workload::GitLab), &created, &ids);
    assert!(gl[0].text.contains("aud: api://AzureADTokenExchange"));
    assert!(gl[0].text.contains("--federated-token \"$AZURE_JWT\""));
    let tf = snippets(
        &TemplateInput::new(Workload::TerraformCloud),
        &created,
        &ids,
    );
    assert!(tf[0]
        .text
        .contains("TFC_AZURE_RUN_CLIENT_ID=11111111-2222-3333-4444-555555555555"));
    let other = snippets(&TemplateInput::new(Workload::OtherOidc), &created, &ids);
    assert!(other[0].text.contains("AZURE_FEDERATED_TOKEN_FILE="));
}

#[test]
fn workloads_other_than_elsewhere_offer_federation() {
    let offered: Vec<&str> = Workload::ALL
        .iter()
        .filter(|w| w.offers_federation())
        .map(|w| w.label())
        .collect();
    assert_eq!(
        offered,
        [
            "GitHub Actions",
            "Kubernetes",
            "GitLab CI/CD",
            "Terraform Cloud",
            "Another OIDC issuer"
        ]
    );
    for w in Workload::ALL {
        assert_eq!(Workload::from_key(w.key()), Some(w));
    }
}
