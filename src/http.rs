//! The one executor: HttpRequest → fetch → HttpResponse.
