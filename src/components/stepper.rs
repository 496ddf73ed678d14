//! A stepper across the top of a flow: where am I, what came before, what comes next.

use yew::prelude::*;

/// An ordered list; the current step carries `aria-current="step"`, done steps say so in text.
/// `current` is the index of the current step.
pub fn stepper(labels: &[AttrValue], current: usize) -> Html {
    html! {
        <nav class="stepper" aria-label="Progress">
            <ol>
                { for labels.iter().enumerate().map(|(i, label)| {
                    let (state, class) = match i.cmp(&current) {
                        std::cmp::Ordering::Less => ("done", "step step-done"),
                        std::cmp::Ordering::Equal => ("current", "step step-current"),
                        std::cmp::Ordering::Greater => ("todo", "step step-todo"),
                    };
                    html! {
                        <li class={class}
                            aria-current={(state == "current").then_some("step")}>
                            <span class="step-number" aria-hidden="true">{ i + 1 }</span>
                            <span class="step-label">{ label.clone() }</span>
                            if state == "done" {
                                <span class="visually-hidden">{ " (done)" }</span>
                            }
                        </li>
                    }
                }) }
            </ol>
        </nav>
    }
}
