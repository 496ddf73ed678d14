fn main() {
    secret_wizard::start();
}
