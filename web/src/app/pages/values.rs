//! The values page: the value table widget, struct padding, interfaces.

use runtime_model::values::{struct_layout, GoArch, Kind};
use yew::prelude::*;

use crate::app::registry::mount;

use super::PageHead;

#[function_component(Values)]
pub fn values() -> Html {
    use Kind::{Bool, Int64};
    let amd64 = GoArch::Amd64;
    let padded = struct_layout(&[Bool, Int64, Bool], amd64).0.size;
    let packed = struct_layout(&[Int64, Bool, Bool], amd64).0.size;
    html! {
        <article class="page">
            <PageHead slug="values" />
            <section aria-labelledby="sizes">
                <h2 id="sizes">{ "Sizes and alignment" }</h2>
                <p>
                    { "Every Go value has a size and an alignment: the address of a value is always \
                       a multiple of its alignment. Both depend on the target architecture \
                       (GOARCH): a word is 8 bytes on 64-bit targets and 4 on 32-bit ones. Pick an \
                       architecture to see the table change." }
                </p>
                { mount("value-table") }
            </section>
            <section aria-labelledby="padding">
                <h2 id="padding">{ "Field order and padding" }</h2>
                <p>
                    { "Fields are laid out in the order you write them, each at the next offset \
                       its alignment allows, and the struct is padded to a multiple of its largest \
                       alignment. So " }<code>{ "struct{ a bool; b int64; c bool }" }</code>
                    { format!(" takes {padded} bytes on amd64: seven bytes of padding after ") }
                    <code>{ "a" }</code>{ " and seven more after " }<code>{ "c" }</code>
                    { ". Write the largest alignment first, " }
                    <code>{ "struct{ b int64; a bool; c bool }" }</code>
                    { format!(", and it takes {packed}. In one value the saving is small; in a slice of \
                       millions it is not. The ") }<code>{ "fieldalignment" }</code>
                    { " analyzer finds structs worth reordering. Try it on your own types:" }
                </p>
                { mount("layout-lab") }
            </section>
            <section aria-labelledby="interfaces-h">
                <h2 id="interfaces-h">{ "Interfaces are two words" }</h2>
                <p>
                    { "An interface value is a pair: a type word and a data word. For " }
                    <code>{ "any" }</code>{ " the type word points at the dynamic type (" }
                    <code>{ "runtime.eface" }</code>{ "); for an interface with methods, such as " }
                    <code>{ "error" }</code>{ ", it points at an itab that also holds the method \
                    table (" }<code>{ "runtime.iface" }</code>{ ")." }
                </p>
                <p>
                    { "The interface is nil only when both words are nil. Storing a nil " }
                    <code>{ "*MyErr" }</code>{ " in an " }<code>{ "error" }</code>
                    { " sets the type word, so " }<code>{ "err != nil" }</code>
                    { " is true even though the pointer inside is nil: the typed-nil trap. \
                       Return a literal " }<code>{ "nil" }</code>{ " when there is no error. Step through it:" }
                </p>
                { mount("interfaces") }
            </section>
        </article>
    }
}
