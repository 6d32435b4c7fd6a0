using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Preau.Web.Infrastructure;

/// <summary>
/// Model-binding and validation messages in French: a page must never show "The value '31/12/2026'
/// is not valid for Date." Messages name no field (property names are English code names); the
/// label next to the field and the summary's order say which one. Dates are also accepted as typed
/// in France (jj/mm/aaaa) besides the ISO form a date picker sends.
/// </summary>
internal static class FrenchValidation
{
    public static void Configure(MvcOptions options)
    {
        var m = options.ModelBindingMessageProvider;
        m.SetAttemptedValueIsInvalidAccessor((value, _) => $"La valeur « {value} » n'est pas valide.");
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valide.");
        m.SetUnknownValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => "La valeur saisie n'est pas valide.");
        m.SetValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valide.");
        m.SetValueMustBeANumberAccessor(_ => "Ce champ doit être un nombre.");
        m.SetNonPropertyValueMustBeANumberAccessor(() => "Ce champ doit être un nombre.");
        m.SetValueMustNotBeNullAccessor(_ => "Ce champ est obligatoire.");
        m.SetMissingBindRequiredValueAccessor(_ => "Ce champ est obligatoire.");
        m.SetMissingKeyOrValueAccessor(() => "Ce champ est obligatoire.");
        m.SetMissingRequestBodyRequiredValueAccessor(() => "La demande est vide.");
        options.ModelMetadataDetailsProviders.Add(new FrenchDataAnnotations());
        options.ModelBinderProviders.Insert(0, new FrenchDateBinderProvider());
    }

    /// <summary>Gives every DataAnnotations attribute left without a message a French one.</summary>
    private sealed class FrenchDataAnnotations : IValidationMetadataProvider
    {
        public void CreateValidationMetadata(ValidationMetadataProviderContext context)
        {
            foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            {
                if (attribute.ErrorMessage is not null || attribute.ErrorMessageResourceName is not null)
                {
                    continue;
                }

                attribute.ErrorMessage = attribute switch
                {
                    RequiredAttribute => "Ce champ est obligatoire.",
                    StringLengthAttribute s => $"Ce champ est limité à {s.MaximumLength} caractères.",
                    MaxLengthAttribute l => $"Ce champ est limité à {l.Length} caractères.",
                    MinLengthAttribute l => $"Ce champ demande au moins {l.Length} caractères.",
                    RangeAttribute r => $"La valeur doit être comprise entre {r.Minimum} et {r.Maximum}.",
                    EmailAddressAttribute => "L'adresse électronique n'est pas valide.",
                    _ => "La valeur saisie n'est pas valide.",
                };
            }
        }
    }

    private sealed class FrenchDateBinderProvider : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
            context.Metadata.UnderlyingOrModelType == typeof(DateOnly) ? new FrenchDateBinder() : null;
    }

    /// <summary>DateOnly from "2026-12-31" (date pickers, links) or "31/12/2026" (typed by hand).</summary>
    internal sealed class FrenchDateBinder : IModelBinder
    {
        private static readonly string[] s_formats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "dd.MM.yyyy"];

        public static bool TryParse(string? text, out DateOnly date) =>
            DateOnly.TryParseExact(text?.Trim(), s_formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var result = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
            if (result == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }

            bindingContext.ModelState.SetModelValue(bindingContext.ModelName, result);
            var text = result.FirstValue;
            if (string.IsNullOrWhiteSpace(text))
            {
                if (!bindingContext.ModelMetadata.IsReferenceOrNullableType)
                {
                    bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, "Ce champ est obligatoire.");
                }

                return Task.CompletedTask;
            }

            if (TryParse(text, out var date))
            {
                bindingContext.Result = ModelBindingResult.Success(date);
            }
            else
            {
                bindingContext.ModelState.TryAddModelError(bindingContext.ModelName,
                    $"La date « {text} » n'est pas valide : écrivez-la jj/mm/aaaa.");
            }

            return Task.CompletedTask;
        }
    }
}
