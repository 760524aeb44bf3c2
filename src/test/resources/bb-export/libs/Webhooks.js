// A bundled copy of the built-in Webhooks library, as exports carry it.
function getUrlFor(options) { return null }
publish({ getUrlFor: getUrlFor });
