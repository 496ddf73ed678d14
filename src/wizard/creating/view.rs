//! Step 4, Creating: addPassword is on its way (the step can't be left meanwhile).

use yew::prelude::*;

/// What the Creating step shows while addPassword's answer is awaited.
pub fn creating_step() -> Html {
    html! {
        <section class="wizard-step" aria-labelledby="creating-title">
            <h2 id="creating-title">{ "Creating the secret" }</h2>
            { crate::components::loading(AttrValue::from("Asking Microsoft Graph for a new secret… Please keep this tab open.")) }
        </section>
    }
}
